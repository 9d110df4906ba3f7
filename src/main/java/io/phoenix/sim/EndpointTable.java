package io.phoenix.sim;

import java.util.HashMap;
import java.util.Map;

/** The endpoints by method and path, as the endpoint groups register them. */
final class EndpointTable {
  private final Map<String, Endpoint> byRoute = new HashMap<>();

  void add(
      String method,
      String path,
      Endpoint.Weight w,
      int o10,
      int o1m,
      Endpoint.Security sec,
      Endpoint.Handler h) {
    byRoute.put(method + " " + path, new Endpoint(method + " " + path, w, o10, o1m, sec, h));
  }

  /** The endpoint at {@code method path}, or null. */
  Endpoint get(String method, String path) {
    return byRoute.get(method + " " + path);
  }
}
