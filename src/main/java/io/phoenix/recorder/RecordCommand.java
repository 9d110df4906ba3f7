package io.phoenix.recorder;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.List;

/** {@code phoenix.jar record}: placeholder until the recorder lands. */
public final class RecordCommand {
  private RecordCommand() {}

  public static int run(Config config, List<String> symbols, Path out, long seconds) {
    throw new UnsupportedOperationException("not yet");
  }
}
