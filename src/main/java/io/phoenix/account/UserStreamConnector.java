package io.phoenix.account;

import akka.Done;
import akka.NotUsed;
import akka.stream.KillSwitch;
import akka.stream.javadsl.Sink;
import java.util.concurrent.CompletionStage;

/**
 * Opens the user-stream WebSocket. A seam between {@link UserDataFeed} and Akka HTTP so the feed
 * can be tested with a scripted stream; production uses {@link AkkaUserStreamConnector}.
 */
public interface UserStreamConnector {

  /**
   * An open (or opening) connection.
   *
   * @param upgraded completes when the server accepted the WebSocket, fails if it refused
   * @param killSwitch closes the connection from our side; the frame sink then completes
   */
  record Connection(CompletionStage<Done> upgraded, KillSwitch killSwitch) {}

  /**
   * Connects to {@code url}; every text frame goes to {@code frames} (which applies backpressure),
   * and the sink completes or fails when the connection ends.
   */
  Connection connect(String url, Sink<String, NotUsed> frames);
}
