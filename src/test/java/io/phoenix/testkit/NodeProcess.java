package io.phoenix.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Phoenix node as its own JVM: {@code java -jar target/phoenix.jar run --config node.conf} in a
 * directory of its own (its H2 journal and its log there), with the environment it is given (the
 * units' credentials). Stopped by SIGTERM (the node's shutdown sequence runs), killed by SIGKILL
 * (nothing runs), or paused and resumed by SIGSTOP / SIGCONT (a node cut off, then back).
 */
public final class NodeProcess implements AutoCloseable {
  private final Path dir;
  private final String config;
  private final Map<String, String> env;
  private final Path log;
  private Process process;
  private int starts;

  /**
   * @param dir the node's working directory (created)
   * @param config the node's HOCON, laid over reference.conf
   */
  public NodeProcess(Path dir, String config, Map<String, String> env) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.config = config;
    this.env = Map.copyOf(env);
    this.log = dir.resolve("node.log");
  }

  /** Starts the JVM (again, after a stop or a kill: the log of each start is kept). */
  public NodeProcess start() throws IOException {
    Path conf = dir.resolve("node.conf");
    Files.writeString(conf, config, StandardCharsets.UTF_8);
    ProcessBuilder builder =
        new ProcessBuilder(jarCommand("run", "--config", conf.toString()))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    starts++;
    Files.writeString(
        log,
        "==== start " + starts + "\n",
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    process = builder.start();
    return this;
  }

  /**
   * {@code java -jar target/phoenix.jar <args>} with this JVM's java, a small heap and the serial
   * collector: several of these share the build machine's two cores with the test JVM.
   */
  public static List<String> jarCommand(String... args) {
    Path jar = Path.of("target", "phoenix.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " missing: run the integration tests through `mvn verify` (package builds it)");
    }
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        new ArrayList<>(
            List.of(
                javaBin,
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                jar.toString()));
    command.addAll(List.of(args));
    return command;
  }

  public boolean alive() {
    return process != null && process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** SIGKILL: no shutdown hook, no cancel, no flush. Returns once the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /**
   * SIGTERM and wait for the node's shutdown sequence to end; false if it outlived {@code wait}.
   */
  public boolean stop(Duration wait) throws InterruptedException {
    if (!alive()) {
      return true;
    }
    process.destroy();
    return process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** SIGSTOP: the process stops dead, sockets open, as a node cut off by a partition. */
  public void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT: the paused node runs on, with its timers late and its view of the cluster stale. */
  public void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException("kill -" + name + " " + pid() + " failed");
    }
  }

  /** The last {@code lines} of the node's log, for failure messages. */
  public String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  public Path log() {
    return log;
  }

  @Override
  public void close() throws InterruptedException {
    if (alive()) {
      try {
        resume();
      } catch (IOException e) {
        // not paused, or gone already
      }
      if (!stop(Duration.ofSeconds(20))) {
        kill();
      }
    }
  }
}
