package io.cachex.api.contract;

import io.cachex.api.Action;
import io.cachex.api.CachexError;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One action of the contract as everything else sees it: its name, its parameters and result in
 * wire terms, and its traits ({@link Action}). Built once from the contract method; the request
 * handler, the pipeline runner, the bridge policy, metrics and the client-side proxies read it.
 */
public final class ActionSpec {
  private final String name;
  private final Method method;
  private final Action traits;
  private final List<Param> params;
  private final Map<String, Param> byName;
  private final WireType result;
  private final Class<?> resultType;
  private final Object unavailable;
  private final boolean hasUnavailable;
  private final int keyParam;

  ActionSpec(Method method) {
    this.name = method.getName();
    this.method = method;
    this.traits = method.getAnnotation(Action.class);
    if (traits == null) {
      throw new IllegalStateException("action '" + name + "' has no @Action traits: classify it in " + method.getDeclaringClass().getSimpleName());
    }
    List<Param> list = new ArrayList<>();
    Map<String, Param> index = new LinkedHashMap<>();
    java.lang.reflect.Parameter[] ps = method.getParameters();
    java.lang.reflect.AnnotatedType[] annotated = method.getAnnotatedParameterTypes();
    for (int i = 0; i < ps.length; i++) {
      if (!ps[i].isNamePresent()) {
        throw new IllegalStateException("service-api must be compiled with -parameters");
      }
      String n = ps[i].getName();
      boolean nullable = annotated[i].isAnnotationPresent(io.vertx.codegen.annotations.Nullable.class);
      Param p = new Param(n, WireType.ofParam(n, ps[i].getParameterizedType(), ps[i].getType()), !nullable,
          ps[i].getType(), Param.KEY_NAMES.contains(n));
      list.add(p);
      index.put(n, p);
    }
    this.params = Collections.unmodifiableList(list);
    this.byName = Collections.unmodifiableMap(index);
    this.result = WireType.ofResult(method.getGenericReturnType());
    java.lang.reflect.Type t = method.getGenericReturnType() instanceof java.lang.reflect.ParameterizedType
        ? ((java.lang.reflect.ParameterizedType) method.getGenericReturnType()).getActualTypeArguments()[0] : Object.class;
    this.resultType = t instanceof Class ? (Class<?>) t : Object.class;
    this.hasUnavailable = !traits.unavailable().isEmpty();
    this.unavailable = hasUnavailable ? Json.decodeValue(traits.unavailable()) : null;
    int k = -1;
    for (int i = 0; i < list.size() && k < 0; i++) {
      if (list.get(i).key()) {
        k = i;
      }
    }
    this.keyParam = k;
    if (traits.access() == Action.Access.READ && !hasUnavailable) {
      throw new IllegalStateException("read '" + name + "' must say what it answers under ignoreExceptions (@Action(unavailable = ...))");
    }
    if (traits.access() == Action.Access.WRITE && hasUnavailable) {
      throw new IllegalStateException("write '" + name + "' cannot answer a default under ignoreExceptions");
    }
    if (traits.lookup() == Action.Lookup.MANY && !index.containsKey("keys")) {
      throw new IllegalStateException("lookup MANY of '" + name + "' needs a 'keys' parameter");
    }
  }

  public String name() {
    return name;
  }

  /** The contract method (CachexService's). */
  public Method method() {
    return method;
  }

  public Action traits() {
    return traits;
  }

  public boolean reads() {
    return traits.access() == Action.Access.READ;
  }

  public List<Param> params() {
    return params;
  }

  public Param param(String field) {
    return byName.get(field);
  }

  public WireType result() {
    return result;
  }

  /**
   * The reply under {@code ignoreExceptions} when Valkey/Redis is unreachable, for these arguments;
   * only for reads ({@link #reads()}).
   */
  public Object unavailableReply(Object[] args) {
    if (unavailable == null) {
      Param d = byName.get("defaultValue");
      if (d != null && args[params.indexOf(d)] instanceof JsonArray) {
        return ((JsonArray) args[params.indexOf(d)]).getValue(0);
      }
      return null;
    }
    return result.encodeResult(unavailable instanceof JsonObject ? ((JsonObject) unavailable).copy()
        : unavailable instanceof JsonArray ? ((JsonArray) unavailable).copy() : unavailable);
  }

  /** The key an error message names: the first key parameter (the first of a list), or null. */
  public String keyOf(Object[] args) {
    if (keyParam < 0 || args == null || args[keyParam] == null) {
      return null;
    }
    Object k = args[keyParam];
    if (k instanceof List) {
      List<?> l = (List<?>) k;
      return l.isEmpty() ? null : String.valueOf(l.get(0));
    }
    return k instanceof String ? (String) k : null;
  }

  /** The key of a raw JSON body (before its fields are decoded), for messages about the body. */
  public String keyOf(JsonObject body) {
    if (keyParam < 0 || body == null) {
      return null;
    }
    Object k = body.getValue(params.get(keyParam).name());
    return k instanceof String ? (String) k : null;
  }

  // ---- wire, both ways ----

  /**
   * The Java arguments of a request body, checked strictly: every required field present, every
   * field of its type, no unknown field (nor unknown option field), no collection over
   * {@code maxItems}. Throws {@link OperationException} naming the field.
   */
  public Object[] decodeArgs(JsonObject body, int maxItems) {
    for (String field : body.fieldNames()) {
      if (!byName.containsKey(field)) {
        throw OperationException.invalid("unknown field '" + field + "'" + Names.hint(field, byName.keySet())
            + "; " + name + " takes " + byName.keySet());
      }
    }
    Object[] args = new Object[params.size()];
    for (int i = 0; i < args.length; i++) {
      Param p = params.get(i);
      Object v = body.getValue(p.name());
      if (v == null) {
        if (p.required()) {
          throw OperationException.invalid("missing field '" + p.name() + "' (" + p.type().describe(p) + ")");
        }
        continue;
      }
      if ((v instanceof JsonArray && ((JsonArray) v).size() > maxItems) || (v instanceof JsonObject && p.type() != WireType.DATA_OBJECT
          && ((JsonObject) v).size() > maxItems)) {
        throw new OperationException(CachexError.TOO_LARGE,
            "field '" + p.name() + "' has more than limits.maxItemsPerCall " + maxItems + " items");
      }
      args[i] = p.type().decodeArg(p, v);
    }
    return args;
  }

  /** The request body of Java arguments (as the generated proxy would send them; nulls left out). */
  public JsonObject encodeArgs(Object[] args) {
    JsonObject body = new JsonObject();
    for (int i = 0; i < params.size(); i++) {
      Object v = params.get(i).type().encodeArg(args[i]);
      if (v != null) {
        body.put(params.get(i).name(), v);
      }
    }
    return body;
  }

  /** The reply body of a result. */
  public Object encodeResult(Object result) {
    return this.result.encodeResult(result);
  }

  /** A result as the method's declared Java type, from its JSON form. */
  public Object decodeResult(Object json) {
    return result.decodeResult(json, resultType);
  }

  @Override
  public String toString() {
    return name;
  }
}
