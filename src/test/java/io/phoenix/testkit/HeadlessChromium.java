package io.phoenix.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's Chromium, headless, rendering a page with a virtual-time budget and returning the DOM
 * after the page's scripts ran. Tests skip themselves when it is not installed.
 */
public final class HeadlessChromium {
  public static final Path BINARY = Path.of("/usr/bin/chromium");

  private HeadlessChromium() {}

  public static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /**
   * The DOM of {@code url} after about 5 s of the page's (virtual) time; {@code profile} is
   * scratch.
   */
  public static String dumpDom(Path profile, String url) throws IOException, InterruptedException {
    // the background-networking flags keep Chromium from dialling out of this closed network
    List<String> cmd =
        List.of(
            BINARY.toString(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--user-data-dir=" + profile,
            "--virtual-time-budget=5000",
            "--dump-dom",
            url);
    Path out = profile.resolve("dom.html");
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(out.toFile())
            .redirectError(profile.resolve("chromium.err").toFile())
            .start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish within 30 s");
    }
    String dom = Files.readString(out, StandardCharsets.UTF_8);
    assertTrue(
        !dom.isBlank(),
        "chromium dumped nothing; stderr: "
            + Files.readString(profile.resolve("chromium.err"), StandardCharsets.UTF_8));
    return dom;
  }

  /**
   * The first group of {@code regex} in {@code dom}; fails the test, showing the DOM, when absent.
   */
  public static String textOf(String dom, String regex) {
    Matcher m = Pattern.compile(regex).matcher(dom);
    assertTrue(m.find(), "not found in DOM: " + regex + "\n" + dom);
    return m.group(1);
  }
}
