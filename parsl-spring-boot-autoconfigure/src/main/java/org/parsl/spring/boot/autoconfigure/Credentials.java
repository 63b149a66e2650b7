package org.parsl.spring.boot.autoconfigure;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What looks like a credential, by name — the key words Spring Boot's actuator has always masked
 * ({@code password}, {@code secret}, {@code key}, {@code token}, {@code credentials}, ...) — and the
 * masking of values in text such as a command line.
 */
public final class Credentials {

    /** What a masked value shows. */
    public static final String MASK = "******";

    private static final String[] WORDS = {"password", "passwd", "pwd", "secret", "key", "token", "credential", "auth",
            "private", "vcap_services", "sun.java.command"};

    /** {@code -Dname=value}: a system property on a command line. */
    private static final Pattern SYSTEM_PROPERTY = Pattern.compile("-D([^=\\s,\\]]+)=([^\\s,\\]]*)");

    private Credentials() {
    }

    /** Whether a setting of this name likely holds a credential. */
    public static boolean isCredentialName(String name) {
        if (name == null) {
            return false;
        }
        String n = name.toLowerCase(Locale.ROOT);
        for (String word : WORDS) {
            if (n.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /** The text with the value of every {@code -Dname=value} in it masked. */
    public static String maskSystemProperties(String text) {
        if (text == null || !text.contains("-D")) {
            return text;
        }
        Matcher m = SYSTEM_PROPERTY.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement("-D" + m.group(1) + "=" + MASK));
        }
        m.appendTail(out);
        return out.toString();
    }
}
