package org.parsl.spring.boot.autoconfigure;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.springframework.core.ResolvableType;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.TypeFactory;

/**
 * JSON for {@code @Async} calls sent to workers: arguments and results are written with their runtime
 * types and read back into the method's declared (generic) types. A future parameter travels as its
 * value (the DataFlowKernel waited for it) and is handed to the method as a completed future again;
 * so do futures directly inside a collection, map or array parameter.
 */
final class JsonCodec {

    private final JsonMapper mapper;

    JsonCodec(JsonMapper mapper) {
        this.mapper = mapper;
    }

    String write(Object value) {
        return mapper.writeValueAsString(value);
    }

    /** Reads a value of the declared type, futures replaced by their values (see the class description). */
    Object readWire(String json, ResolvableType declared) {
        return mapper.readValue(json, wireType(declared));
    }

    /** Turns a value read with {@link #readWire} into what a parameter of the declared type takes. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Object rewrap(Object value, ResolvableType declared) {
        if (value == null && !AsyncMethods.isFuture(declared)) {
            return null;
        }
        if (AsyncMethods.isFuture(declared)) {
            return CompletableFuture.completedFuture(value);
        }
        if (declared.isArray() && AsyncMethods.isFuture(declared.getComponentType())) {
            Object[] source = (Object[]) value;
            Object[] copy = (Object[]) Array.newInstance(declared.getComponentType().resolve(Object.class), source.length);
            for (int i = 0; i < source.length; i++) {
                copy[i] = CompletableFuture.completedFuture(source[i]);
            }
            return copy;
        }
        if (value instanceof Collection<?> c && AsyncMethods.isFuture(declared.asCollection().getGeneric(0))) {
            Collection copy = value instanceof Set<?> ? new LinkedHashSet<>() : new ArrayList<>();
            c.forEach(o -> copy.add(CompletableFuture.completedFuture(o)));
            return copy;
        }
        if (value instanceof Map<?, ?> m && AsyncMethods.isFuture(declared.asMap().getGeneric(1))) {
            Map copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(k, CompletableFuture.completedFuture(v)));
            return copy;
        }
        return value;
    }

    /** The type a value of the declared type has on the wire: futures replaced by their value types. */
    JavaType wireType(ResolvableType declared) {
        TypeFactory tf = mapper.getTypeFactory();
        if (AsyncMethods.isFuture(declared)) {
            return javaType(declared.as(java.util.concurrent.Future.class).hasGenerics()
                    ? declared.as(java.util.concurrent.Future.class).getGeneric(0)
                    : declared.as(java.util.concurrent.CompletionStage.class).getGeneric(0));
        }
        if (declared.isArray() && AsyncMethods.isFuture(declared.getComponentType())) {
            return tf.constructArrayType(wireType(declared.getComponentType()));
        }
        Class<?> raw = declared.resolve(Object.class);
        if (Collection.class.isAssignableFrom(raw) && AsyncMethods.isFuture(declared.asCollection().getGeneric(0))) {
            Class<? extends Collection> kind = Set.class.isAssignableFrom(raw) ? LinkedHashSet.class : List.class;
            return tf.constructCollectionType(kind, wireType(declared.asCollection().getGeneric(0)));
        }
        if (Map.class.isAssignableFrom(raw) && AsyncMethods.isFuture(declared.asMap().getGeneric(1))) {
            return tf.constructMapType(LinkedHashMap.class, javaType(declared.asMap().getGeneric(0)),
                    wireType(declared.asMap().getGeneric(1)));
        }
        return javaType(declared);
    }

    private JavaType javaType(ResolvableType type) {
        TypeFactory tf = mapper.getTypeFactory();
        if (type == ResolvableType.NONE) {
            return tf.constructType(Object.class);
        }
        if (type.isArray()) {
            return tf.constructArrayType(javaType(type.getComponentType()));
        }
        Class<?> raw = type.resolve(Object.class);
        if (type.hasGenerics()) {
            ResolvableType[] generics = type.getGenerics();
            JavaType[] params = new JavaType[generics.length];
            for (int i = 0; i < generics.length; i++) {
                params[i] = javaType(generics[i]);
            }
            return tf.constructParametricType(raw, params);
        }
        return tf.constructType(raw);
    }
}
