package org.parsl.spring.boot.autoconfigure;

import java.beans.PropertyDescriptor;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.TreeMap;

import org.parsl.spring.boot.autoconfigure.actuate.ParslMonitoringProperties;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Every valid {@code parsl.*} key, read from the properties classes themselves ({@link ParslProperties},
 * {@link ParslMonitoringProperties}), and the check that the application sets no other: a typo such as
 * {@code parsl.executors.cpu.max-thread} or {@code parsl.retrys} fails startup naming the key and the
 * nearest valid one, instead of being ignored. Environment variables are not checked ({@code PARSL_*}
 * variables are also the workers' settings of the core, which Spring reads too).
 */
final class ParslPropertyNames {

    private static final ConfigurationPropertyName PARSL = ConfigurationPropertyName.of("parsl");

    /** The tree of valid names below {@code parsl}. */
    private static final Node ROOT = root();

    private ParslPropertyNames() {
    }

    /** @throws InvalidParslConfigurationException naming the first unknown key and the nearest valid one */
    static void checkNoUnknownKeys(Environment environment) {
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            Object underlying = source.getUnderlyingSource();
            if (underlying instanceof SystemEnvironmentPropertySource
                    || (underlying instanceof PropertySource<?> ps && ps.getName().equals("systemEnvironment"))
                    || !(source instanceof IterableConfigurationPropertySource iterable)) {
                continue;
            }
            iterable.stream().filter(PARSL::isAncestorOf).forEach(name -> check(name, source));
        }
    }

    private static void check(ConfigurationPropertyName name, ConfigurationPropertySource source) {
        Node node = ROOT;
        StringBuilder valid = new StringBuilder("parsl");
        for (int i = 1; i < name.getNumberOfElements(); i++) {
            if (node.leaf) {
                if (name.isNumericIndex(i)) {
                    return; // an element of a list
                }
                break;
            }
            String element = name.getElement(i, Form.DASHED);
            if (node.anyKey != null) {
                valid.append('.').append(name.getElement(i, Form.ORIGINAL));
                node = node.anyKey;
                continue;
            }
            Node child = node.children.get(element);
            if (child == null) {
                throw unknown(name, valid.toString(), element, node, source);
            }
            valid.append('.').append(element);
            node = child;
        }
        if (!node.leaf && node.anyKey == null) {
            // "parsl.executors.cpu.provider=x": a group given a value
            throw unknown(name, valid.toString(), null, node, source);
        }
    }

    private static InvalidParslConfigurationException unknown(ConfigurationPropertyName name, String parent, String element,
            Node node, ConfigurationPropertySource source) {
        String nearest = null;
        int best = Integer.MAX_VALUE;
        if (element != null) {
            for (String candidate : node.children.keySet()) {
                int d = distance(element, candidate);
                if (d < best) {
                    best = d;
                    nearest = candidate;
                }
            }
        }
        var property = source.getConfigurationProperty(name);
        String origin = property != null && property.getOrigin() != null ? " (from " + property.getOrigin() + ")" : "";
        String suggestion = nearest != null && best <= Math.max(2, element.length() / 2)
                ? "; did you mean " + parent + "." + nearest + "?" : "";
        return new InvalidParslConfigurationException("Invalid Parsl configuration: " + name + origin
                + " is not a Parsl setting" + suggestion,
                (suggestion.isEmpty() ? "Remove " + name : "Rename " + name + " to " + parent + "." + nearest + " (or remove it)")
                        + ". The settings of " + parent + " are: " + String.join(", ", node.children.keySet()) + ".");
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** A group of settings ({@code children}), a map of groups ({@code anyKey}) or a value ({@code leaf}). */
    private static final class Node {
        final Map<String, Node> children = new TreeMap<>();
        Node anyKey;
        boolean leaf;
    }

    private static Node root() {
        Node root = group(ParslProperties.class);
        root.children.put("monitoring", group(ParslMonitoringProperties.class));
        return root;
    }

    private static Node group(Class<?> type) {
        Node node = new Node();
        for (PropertyDescriptor pd : BeanUtils.getPropertyDescriptors(type)) {
            if (pd.getReadMethod() == null || pd.getName().equals("class")) {
                continue;
            }
            Type generic = pd.getReadMethod().getGenericReturnType();
            node.children.put(dashed(pd.getName()), value(pd.getPropertyType(), generic));
        }
        return node;
    }

    private static Node value(Class<?> raw, Type generic) {
        if (Map.class.isAssignableFrom(raw) && generic instanceof ParameterizedType p
                && p.getActualTypeArguments()[1] instanceof Class<?> valueType && isGroup(valueType)) {
            Node map = new Node();
            map.anyKey = group(valueType);
            return map;
        }
        if (isGroup(raw)) {
            return group(raw);
        }
        Node leaf = new Node();
        leaf.leaf = true;
        return leaf;
    }

    /** A nested settings class of ours (not a value type, collection or map). */
    private static boolean isGroup(Class<?> type) {
        return type.getName().startsWith("org.parsl.spring.") && !type.isEnum() && !type.isInterface()
                && !Modifier.isAbstract(type.getModifiers());
    }

    private static String dashed(String camel) {
        StringBuilder out = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('-').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
