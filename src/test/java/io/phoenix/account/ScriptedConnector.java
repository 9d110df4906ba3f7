package io.phoenix.account;

import akka.Done;
import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.japi.Pair;
import akka.stream.KillSwitches;
import akka.stream.Materializer;
import akka.stream.OverflowStrategy;
import akka.stream.UniqueKillSwitch;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.stream.javadsl.SourceQueueWithComplete;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A connector whose "server" is the test: frames are offered to the latest connection's queue. */
final class ScriptedConnector implements UserStreamConnector {
  private final Materializer materializer;
  final List<String> urls = new CopyOnWriteArrayList<>();
  private volatile SourceQueueWithComplete<String> current;

  /** When set, the next connect throws (an unexpected bug in the transport). */
  volatile boolean throwOnNextConnect;

  ScriptedConnector(ActorSystem<?> system) {
    this.materializer = Materializer.matFromSystem(system);
  }

  @Override
  public Connection connect(String url, Sink<String, NotUsed> frames) {
    urls.add(url);
    if (throwOnNextConnect) {
      throwOnNextConnect = false;
      throw new IllegalStateException("scripted connector failure");
    }
    Pair<SourceQueueWithComplete<String>, UniqueKillSwitch> mat =
        Source.<String>queue(64, OverflowStrategy.backpressure())
            .viaMat(KillSwitches.single(), Keep.both())
            .to(frames)
            .run(materializer);
    current = mat.first();
    return new Connection(CompletableFuture.completedFuture(Done.getInstance()), mat.second());
  }

  int connections() {
    return urls.size();
  }

  void send(String frame) {
    current.offer(frame);
  }

  /** The server closes the connection. */
  void close() {
    current.complete();
  }
}
