package io.phoenix.recorder;

import com.typesafe.config.Config;
import io.phoenix.config.ConfigReader;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code phoenix.recorder.*}; see reference.conf.
 *
 * @param enabled whether {@code run} records
 * @param dir where the files go
 * @param queueCapacity messages waiting for the writer before new ones are dropped
 * @param flushInterval how often the writer flushes its gzip streams
 */
public record RecorderSettings(
    boolean enabled, Path dir, int queueCapacity, Duration flushInterval) {

  public static RecorderSettings fromConfig(Config config) {
    ConfigReader r = new ConfigReader(config, "phoenix.recorder");
    return new RecorderSettings(
        r.bool("enabled"),
        Path.of(r.nonEmptyString("dir")),
        r.intInRange("queue-capacity", 16, 100_000_000),
        r.positiveDuration("flush-interval"));
  }

  public RecorderSettings withDir(Path newDir) {
    return new RecorderSettings(enabled, newDir, queueCapacity, flushInterval);
  }
}
