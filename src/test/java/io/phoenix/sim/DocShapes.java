package io.phoenix.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;

/**
 * Compares the simulator's JSON with a documented Binance example kept under {@code
 * src/test/resources/binance/}: every field of the example must be present with the same JSON type
 * (string, number, boolean, object, array), recursively; arrays are compared element by element
 * against the example's first element. A {@code null} in the example accepts anything.
 */
final class DocShapes {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DocShapes() {}

  static JsonNode example(String resource) {
    try (InputStream in = DocShapes.class.getResourceAsStream("/binance/" + resource)) {
      if (in == null) {
        throw new AssertionError("no documented example " + resource);
      }
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Fails naming the first path where {@code actual} lacks a field of the example or differs in
   * type.
   */
  static void assertShape(String resource, JsonNode actual) {
    assertShape(resource, example(resource), actual);
  }

  static void assertShape(String name, JsonNode doc, JsonNode actual) {
    String problem = compare(doc, actual, "$");
    if (problem != null) {
      throw new AssertionError(name + ": " + problem + "\n  actual: " + actual);
    }
  }

  private static String compare(JsonNode doc, JsonNode actual, String path) {
    if (doc.isNull()) {
      return null;
    }
    if (actual == null || actual.isMissingNode()) {
      return path + " missing";
    }
    if (doc.getNodeType() != actual.getNodeType()) {
      return path + " is " + actual.getNodeType() + ", documented " + doc.getNodeType();
    }
    if (doc.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = doc.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        String p = compare(e.getValue(), actual.get(e.getKey()), path + "." + e.getKey());
        if (p != null) {
          return p;
        }
      }
    } else if (doc.isArray() && doc.size() > 0) {
      if (!doc.get(0).isContainerNode() && actual.size() != doc.size()) {
        return path + " has " + actual.size() + " elements, documented " + doc.size();
      }
      for (int i = 0; i < actual.size(); i++) {
        String p =
            compare(
                doc.get(0).isContainerNode() ? doc.get(0) : doc.get(Math.min(i, doc.size() - 1)),
                actual.get(i),
                path + "[" + i + "]");
        if (p != null) {
          return p;
        }
      }
    }
    return null;
  }
}
