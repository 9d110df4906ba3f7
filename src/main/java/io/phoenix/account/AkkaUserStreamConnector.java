package io.phoenix.account;

import akka.Done;
import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.ws.Message;
import akka.http.javadsl.model.ws.TextMessage;
import akka.http.javadsl.model.ws.WebSocketRequest;
import akka.http.javadsl.model.ws.WebSocketUpgradeResponse;
import akka.japi.Pair;
import akka.stream.KillSwitches;
import akka.stream.Materializer;
import akka.stream.UniqueKillSwitch;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The Akka HTTP WebSocket client behind {@link UserDataFeed}. Inbound messages are made strict (a
 * frame may arrive in fragments) and handed on one at a time; outbound stays open but silent, since
 * the user stream takes no requests and Akka HTTP answers the server's pings itself.
 */
public final class AkkaUserStreamConnector implements UserStreamConnector {
  private final ActorSystem<?> system;
  private final Materializer materializer;
  private final long strictTimeoutMillis;

  /**
   * @param strictTimeout limit for collecting one fragmented frame
   */
  public AkkaUserStreamConnector(ActorSystem<?> system, Duration strictTimeout) {
    this.system = system;
    this.materializer = Materializer.matFromSystem(system);
    this.strictTimeoutMillis = strictTimeout.toMillis();
  }

  @Override
  public Connection connect(String url, Sink<String, NotUsed> frames) {
    Sink<Message, UniqueKillSwitch> inbound =
        Flow.<Message>create()
            .viaMat(KillSwitches.single(), Keep.right())
            .mapAsync(1, this::text)
            .filter(text -> !text.isEmpty())
            .toMat(frames, Keep.left());
    Flow<Message, Message, UniqueKillSwitch> flow =
        Flow.fromSinkAndSourceCoupledMat(inbound, Source.<Message>maybe(), Keep.left());
    Pair<CompletionStage<WebSocketUpgradeResponse>, UniqueKillSwitch> pair =
        Http.get(system).singleWebSocketRequest(WebSocketRequest.create(url), flow, materializer);
    CompletionStage<Done> upgraded =
        pair.first()
            .thenApply(
                upgrade -> {
                  if (!upgrade.response().status().equals(StatusCodes.SWITCHING_PROTOCOLS)) {
                    throw new IllegalStateException(
                        "WebSocket upgrade refused: HTTP "
                            + upgrade.response().status().intValue());
                  }
                  return Done.getInstance();
                });
    return new Connection(upgraded, pair.second());
  }

  private CompletionStage<String> text(Message message) {
    if (message.isText()) {
      TextMessage text = message.asTextMessage();
      if (text.isStrict()) {
        // a whole frame needs no stream: toStrict would run one per order event
        return CompletableFuture.completedFuture(text.getStrictText());
      }
      return text.toStrict(strictTimeoutMillis, materializer).thenApply(t -> t.getStrictText());
    }
    // the user stream never sends binary frames; drain one so the connection does not stall
    return message
        .asBinaryMessage()
        .getStreamedData()
        .runWith(Sink.ignore(), materializer)
        .thenApply(done -> "");
  }
}
