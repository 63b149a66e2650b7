package org.parsl.executors.hazelcast;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Java serialization of task bodies, results and exceptions, and the deserialization allowlist: an
 * {@link ObjectInputFilter} that admits the JDK's value and collection types, {@code org.parsl},
 * the configured {@code allowedPackages}, and {@link java.lang.invoke.SerializedLambda} (serializable
 * lambdas; their capturing class must itself be allowed). Everything else is rejected before it is
 * instantiated, and the error names the class and the setting to change.
 */
final class Allowlist {

    /** Packages of the JDK whose serializable classes are plain values or collections. */
    private static final Set<String> JDK_PACKAGES = Set.of(
            "java.lang", "java.util", "java.util.concurrent", "java.util.concurrent.atomic", "java.util.regex",
            "java.time", "java.time.chrono", "java.time.format", "java.time.temporal", "java.time.zone",
            "java.math", "java.net", "java.nio.charset", "java.io", "java.text", "java.util.function");

    private final List<String> prefixes;
    private final ClassLoader loader;

    Allowlist(Collection<String> allowedPackages, ClassLoader loader) {
        List<String> p = new ArrayList<>();
        p.add("org.parsl.");
        for (String pkg : allowedPackages) {
            String s = pkg.trim();
            if (!s.isEmpty()) {
                p.add(s.endsWith(".") ? s : s + ".");
            }
        }
        this.prefixes = List.copyOf(p);
        this.loader = loader;
    }

    /** The allowed package prefixes besides the JDK's, for messages. */
    List<String> packages() {
        return prefixes.stream().map(s -> s.substring(0, s.length() - 1)).toList();
    }

    boolean allows(Class<?> c) {
        while (c.isArray()) {
            c = c.getComponentType();
        }
        if (c.isPrimitive()) {
            return true;
        }
        if (Proxy.isProxyClass(c)) {
            return false;
        }
        String name = c.getName();
        if (name.equals("java.lang.invoke.SerializedLambda")) {
            return true;
        }
        String pkg = c.getPackageName();
        if (JDK_PACKAGES.contains(pkg)) {
            // java.io and java.net: only exceptions and a few values (no streams, sockets, URL lookups)
            if (pkg.equals("java.io")) {
                return Throwable.class.isAssignableFrom(c) || name.equals("java.io.File");
            }
            if (pkg.equals("java.net")) {
                return Throwable.class.isAssignableFrom(c) || name.equals("java.net.URI");
            }
            return true;
        }
        for (String prefix : prefixes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    static byte[] serialize(Object value) throws NotSerializableException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (NotSerializableException e) {
            throw e;
        } catch (IOException e) {
            NotSerializableException n = new NotSerializableException(e.toString());
            n.initCause(e);
            throw n;
        }
        return bytes.toByteArray();
    }

    /**
     * Reads an object through the allowlist.
     *
     * @throws NotAllowed naming the rejected class
     * @throws ClassNotFoundException if a class is not on this JVM's class path
     */
    Object deserialize(byte[] data) throws IOException, ClassNotFoundException {
        Filter filter = new Filter(data.length);
        try (FilteredInput in = new FilteredInput(new ByteArrayInputStream(data), loader)) {
            // ours first, so its reason (a class, a forged array length) is the one reported
            in.setObjectInputFilter(ObjectInputFilter.merge(filter, LIMITS));
            return in.readObject();
        } catch (InvalidClassException e) {
            if (filter.rejected != null) {
                throw new NotAllowed(filter.rejected, packages());
            }
            if (e.getMessage() != null && e.getMessage().contains("REJECTED")) {
                throw new NotAllowed("(beyond the JDK's deserialization limits " + LIMIT_SPEC + ")", packages());
            }
            throw e;
        }
    }

    /** A class the allowlist rejected. */
    static final class NotAllowed extends IOException {
        private static final long serialVersionUID = 1L;
        private final String className;

        NotAllowed(String className, List<String> packages) {
            super("class " + className + " is not allowed to be deserialized: add its package to the executor's"
                    + " allowedPackages (allowed now: the JDK's value and collection types and " + packages + ")");
            this.className = className;
        }

        String className() {
            return className;
        }
    }

    /** The JDK's own limits: graph depth, references, and stream size. */
    static final String LIMIT_SPEC = "maxdepth=200;maxrefs=5000000;maxbytes=1073741824;maxarray=268435456";
    static final ObjectInputFilter LIMITS = ObjectInputFilter.Config.createFilter(LIMIT_SPEC);

    private final class Filter implements ObjectInputFilter {
        volatile String rejected;
        private final long length;

        Filter(long length) {
            this.length = length;
        }

        @Override
        public Status checkInput(FilterInfo info) {
            Class<?> c = info.serialClass();
            // An array of n elements takes at least n bytes of the stream: a longer one is a forged length,
            // refused before it is allocated (a 27-byte stream must not make an int[400000000]).
            if (info.arrayLength() > length || info.depth() > 200 || info.references() > 5_000_000) {
                rejected = info.arrayLength() > length ? "(an array of " + info.arrayLength() + " elements in a payload of " + length
                        + " bytes)" : "(object graph too deep or too large)";
                return Status.REJECTED;
            }
            if (c == null) {
                return Status.UNDECIDED;
            }
            if (allows(c)) {
                return Status.ALLOWED;
            }
            rejected = c.getName();
            return Status.REJECTED;
        }
    }

    /** Resolves classes with the worker's (or application's) class loader. */
    private static final class FilteredInput extends ObjectInputStream {
        private final ClassLoader loader;

        FilteredInput(ByteArrayInputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
                return Class.forName(desc.getName(), false, loader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc);
            }
        }
    }
}
