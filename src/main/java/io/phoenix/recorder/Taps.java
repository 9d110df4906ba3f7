package io.phoenix.recorder;

import akka.stream.javadsl.Flow;
import io.phoenix.account.UserStreamConnector;
import io.phoenix.binance.rest.DepthSnapshotClient;

/** Wrappers that hand a copy of what passes through them to a {@link Recorder}. */
public final class Taps {
  private Taps() {}

  /** Every snapshot body fetched goes into the symbol's recording, stamped when it arrived. */
  public static DepthSnapshotClient snapshots(DepthSnapshotClient delegate, Recorder recorder) {
    return (symbol, limit) ->
        delegate
            .fetch(symbol, limit)
            .thenApply(
                body -> {
                  recorder.snapshot(symbol, System.nanoTime(), body);
                  return body;
                });
  }

  /** Every user-stream frame goes into the orders recording, stamped when it arrived. */
  public static UserStreamConnector userStream(UserStreamConnector delegate, Recorder recorder) {
    return (url, frames) ->
        delegate.connect(
            url,
            Flow.<String>create()
                .wireTap(text -> recorder.user(System.nanoTime(), text))
                .to(frames));
  }
}
