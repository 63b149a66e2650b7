package org.parsl.spring.boot.autoconfigure;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.core.env.Environment;

/**
 * Binds {@code parsl.*} as early as the pool beans are registered; a value that cannot be read (an
 * unknown executor type, a number that is not one) fails with the property, the value and the values
 * it may take, instead of a conversion stack trace.
 */
final class ParslPropertiesBinding {

    private ParslPropertiesBinding() {
    }

    static ParslProperties bind(Environment environment) {
        try {
            return Binder.get(environment).bind("parsl", ParslProperties.class).orElseGet(ParslProperties::new);
        } catch (BindException e) {
            throw translate(e);
        }
    }

    static InvalidParslConfigurationException translate(BindException e) {
        ConfigurationProperty property = e.getProperty();
        String name = property != null ? property.getName().toString() : e.getName().toString();
        Object value = property != null ? property.getValue() : null;
        Class<?> type = e.getTarget().getType().resolve(Object.class);
        String origin = property != null && property.getOrigin() != null ? " (from " + property.getOrigin() + ")" : "";
        if (type.isEnum()) {
            List<String> values = Arrays.stream(type.getEnumConstants())
                    .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT).replace('_', '-')).toList();
            return new InvalidParslConfigurationException("Invalid Parsl configuration: " + name + " is '" + value + "'" + origin
                    + ", which is not one of " + values, "Set " + name + " to one of " + values + ".", e);
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new InvalidParslConfigurationException("Invalid Parsl configuration: " + name + " is '" + value + "'" + origin
                + ", which cannot be read as " + type.getSimpleName() + " (" + root.getMessage() + ")",
                "Set " + name + " to a valid " + type.getSimpleName() + ".", e);
    }
}
