package io.phoenix.ops;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.phoenix.config.SecretRegistry;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Every text the ops server sends, as JSON values, map keys or event-stream data, passes through
 * here: registered secrets ({@link SecretRegistry}, the same list the log guard uses) become {@code
 * ***}, control characters become spaces, and anything longer than {@link #MAX_CHARS} is cut. Much
 * of it comes from outside (a kill reason typed by an operator, an exchange's error text, a symbol
 * from exchangeInfo) and {@code GET /api/status} needs no token.
 */
final class ResponseText {
  /** Longest text value in a response; longer ones end in an ellipsis. */
  static final int MAX_CHARS = 200;

  private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

  private ResponseText() {}

  /** {@code text} masked, without control characters, at most {@link #MAX_CHARS} long. */
  static String safe(String text) {
    if (text == null) {
      return null;
    }
    // mask before cutting: a cut through a secret would leave its first part unmasked
    String out = SecretRegistry.mask(text);
    out = CONTROL.matcher(out).replaceAll(" ");
    if (out.length() > MAX_CHARS) {
      int end = MAX_CHARS - 1;
      if (Character.isHighSurrogate(out.charAt(end - 1))) {
        end--;
      }
      out = out.substring(0, end) + "…";
    }
    return out;
  }

  /** A JSON mapper whose every string value and map key goes through {@link #safe}. */
  static ObjectMapper mapper() {
    SimpleModule module = new SimpleModule("ops-response-text");
    module.addSerializer(
        String.class,
        new StdSerializer<>(String.class) {
          @Override
          public void serialize(String value, JsonGenerator gen, SerializerProvider provider)
              throws IOException {
            gen.writeString(safe(value));
          }
        });
    module.addKeySerializer(
        String.class,
        new StdSerializer<>(String.class) {
          @Override
          public void serialize(String value, JsonGenerator gen, SerializerProvider provider)
              throws IOException {
            gen.writeFieldName(safe(value));
          }
        });
    return new ObjectMapper().registerModule(module);
  }
}
