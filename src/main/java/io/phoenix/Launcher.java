package io.phoenix;

import com.typesafe.config.Config;

/** Starts the actor system for each command and blocks until it terminates. */
final class Launcher {
  private Launcher() {}

  static int run(Config config) {
    System.err.println("phoenix: the market-making loop is not built yet; use `exchange`");
    return 1;
  }

  static int exchange(Config config) {
    System.err.println("phoenix: the simulator is not built yet");
    return 1;
  }
}
