package io.phoenix.binance.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class PositionModeTest {
  private static RestResult<JsonNode> ok(String json) throws Exception {
    return new RestResult.Ok<>(BinanceRestClient.mapper().readTree(json), 200, RateLimitUsage.NONE);
  }

  @Test
  void readsBothModes() throws Exception {
    assertEquals(
        new PositionMode.Read(true, null), PositionMode.decode(ok("{\"dualSidePosition\":true}")));
    assertEquals(
        new PositionMode.Read(false, null),
        PositionMode.decode(ok("{\"dualSidePosition\":false}")));
  }

  @Test
  void anAnswerWithoutABooleanOrAnErrorLeavesTheModeUnknown() throws Exception {
    for (RestResult<JsonNode> r :
        java.util.List.of(
            ok("{}"),
            ok("{\"dualSidePosition\":\"false\"}"),
            ok("[]"),
            new RestResult.Rejected<JsonNode>(
                -2015,
                "Invalid API-key, IP, or permissions for action.",
                401,
                RateLimitUsage.NONE))) {
      PositionMode.Read read = PositionMode.decode(r);
      assertNull(read.hedge(), String.valueOf(r));
      assertTrue(read.failure() != null && !read.failure().isEmpty());
    }
  }
}
