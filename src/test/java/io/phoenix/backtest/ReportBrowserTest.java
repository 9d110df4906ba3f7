package io.phoenix.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phoenix.testkit.HeadlessChromium;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report opened offline in headless Chromium: it renders, and its four plots carry data.
 */
class ReportBrowserTest {

  @Test
  void theReportRendersOfflineWithItsPlots(@TempDir Path dir) throws Exception {
    BacktestResult result =
        BacktestCommand.runOnce(Recordings.slice(), Recordings.config(), Map.of());
    String html = HtmlReport.render(result);
    // self-contained: no script, stylesheet or image from anywhere (the SVG namespace is a name,
    // not a load)
    assertFalse(
        html.replace("http://www.w3.org/2000/svg", "")
            .matches("(?s).*(https?:|src=|<link|<script).*"),
        "external resource in the report");
    Path file = dir.resolve("report.html");
    Files.writeString(file, html, StandardCharsets.UTF_8);
    Assumptions.assumeTrue(HeadlessChromium.installed(), "chromium is not installed");
    Path profile = Files.createDirectories(dir.resolve("profile"));
    String dom = HeadlessChromium.dumpDom(profile, file.toUri().toString());

    assertTrue(
        HeadlessChromium.textOf(dom, "<td>net PnL \\(USDT\\)</td><td>([-0-9.]+)</td>").length()
            > 0);
    for (String chart :
        new String[] {"chart-equity", "chart-position", "chart-price", "chart-markout"}) {
      String svg = HeadlessChromium.textOf(dom, "(?s)(<svg id=\"" + chart + "\".*?</svg>)");
      Matcher points = Pattern.compile("<polyline[^>]*points=\"([^\"]+)\"").matcher(svg);
      assertTrue(points.find(), chart + " has no line");
      assertTrue(
          points.group(1).split(" ").length >= 5,
          chart + " line has too few points: " + points.group(1));
    }
    String price = HeadlessChromium.textOf(dom, "(?s)(<svg id=\"chart-price\".*?</svg>)");
    long markers = Pattern.compile("class=\"fill-marker\"").matcher(price).results().count();
    assertEquals(result.fills().size(), markers, "one marker per fill");
  }
}
