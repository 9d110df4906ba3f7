package io.phoenix.sim;

import akka.event.LoggingAdapter;
import akka.http.impl.engine.ws.FrameEvent;
import akka.http.impl.engine.ws.FrameEventOrError;
import akka.http.impl.engine.ws.FrameStart;
import akka.http.impl.engine.ws.Protocol;
import akka.http.impl.engine.ws.UpgradeToWebSocketLowLevel;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.ws.Message;
import akka.http.javadsl.model.ws.WebSocketUpgrade;
import akka.stream.Attributes;
import akka.stream.BidiShape;
import akka.stream.Inlet;
import akka.stream.KillSwitches;
import akka.stream.Outlet;
import akka.stream.SharedKillSwitch;
import akka.stream.javadsl.Flow;
import akka.stream.scaladsl.BidiFlow;
import akka.stream.stage.AbstractInHandler;
import akka.stream.stage.AbstractOutHandler;
import akka.stream.stage.GraphStage;
import akka.stream.stage.GraphStageLogic;
import akka.stream.stage.TimerGraphStageLogic;
import akka.util.ByteString;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import scala.Option;
import scala.concurrent.duration.FiniteDuration;

/**
 * Accepts every WebSocket of the simulator (market and user streams, WS API) with Binance's
 * connection rules: a server ping on a fixed schedule, a close when no pong answers for the pong
 * timeout, a close at the maximum life, and no idle cut (the server's idle-timeout is off).
 *
 * <p>Akka HTTP's public API cannot do this: its keep-alive pings only an idle connection and its
 * frame handler drops every pong before user code sees it. So the connection is built from Akka
 * HTTP 10.2's own WebSocket layers (internal API, pinned version) with one stage between masking
 * and frame handling that sees the raw pong frames and injects the pings, and the message layer on
 * top replaced by {@link WsMessageLayer}, which hands every message over whole without a sub-stream
 * per message.
 */
final class WsConnections {
  private static final byte PING = 0x9;
  private static final byte PONG = 0xA;
  private static final byte CLOSE = 0x8;
  private static final FiniteDuration CLOSE_TIMEOUT = FiniteDuration.create(3, TimeUnit.SECONDS);

  private final akka.http.scaladsl.settings.WebSocketSettings akkaSettings;
  private final LoggingAdapter log;
  private final long pingMs;
  private final long pongTimeoutMs;
  private final long maxLifeMs;
  private final Supplier<SharedKillSwitch> dropAll;

  WsConnections(
      akka.http.javadsl.settings.WebSocketSettings akkaSettings,
      LoggingAdapter log,
      Duration pingInterval,
      Duration pongTimeout,
      Duration maxLife,
      Supplier<SharedKillSwitch> dropAll) {
    this.akkaSettings = (akka.http.scaladsl.settings.WebSocketSettings) akkaSettings;
    this.log = log;
    this.pingMs = pingInterval.toMillis();
    this.pongTimeoutMs = pongTimeout.toMillis();
    this.maxLifeMs = maxLife.toMillis();
    this.dropAll = dropAll;
  }

  /** Upgrades the request and runs {@code handler} on the connection under the rules above. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  HttpResponse accept(WebSocketUpgrade upgrade, Flow<Message, Message, ?> handler) {
    if (!(upgrade instanceof UpgradeToWebSocketLowLevel low)) {
      throw new IllegalStateException(
          "unexpected WebSocket upgrade implementation " + upgrade.getClass());
    }
    SharedKillSwitch close = KillSwitches.shared("sim-ws-conn");
    Flow<akka.http.scaladsl.model.ws.Message, akka.http.scaladsl.model.ws.Message, ?> user =
        Flow.<akka.http.scaladsl.model.ws.Message>create()
            .map(Message::adapt)
            .via(handler)
            .via(dropAll.get().flow())
            .via(close.flow())
            .map(Message::asScala);
    BidiFlow stack =
        akka.http.impl.engine.ws.WebSocket.masking(true, akkaSettings.randomFactory())
            .atop(new KeepAlive(close))
            .atop(
                (akka.stream.Graph)
                    akka.http.impl.engine.ws.WebSocket.frameHandling(true, CLOSE_TIMEOUT, log))
            .atop(new WsMessageLayer(Duration.ofSeconds(CLOSE_TIMEOUT.toSeconds())))
            .atop(
                akka.stream.javadsl.BidiFlow.fromFlows(
                    akka.stream.javadsl.Flow.create(),
                    akka.http.impl.engine.ws.MessageToFrameRenderer.create(true)));
    return low.handleFrames(stack.join(user.asScala()), Option.empty());
  }

  /**
   * Between masking (below) and frame handling (above): reads pong frames on the way in, adds ping
   * frames on the way out, and trips the connection's kill switch when {@link PingSchedule} says it
   * must close. Frames from above are always whole frames (Akka renders each message part as one
   * full frame), so a ping never splits one.
   */
  private final class KeepAlive
      extends GraphStage<BidiShape<FrameEventOrError, FrameEventOrError, FrameEvent, FrameEvent>> {
    private final Inlet<FrameEventOrError> fromNet = Inlet.create("KeepAlive.fromNet");
    private final Outlet<FrameEventOrError> toApp = Outlet.create("KeepAlive.toApp");
    private final Inlet<FrameEvent> fromApp = Inlet.create("KeepAlive.fromApp");
    private final Outlet<FrameEvent> toNet = Outlet.create("KeepAlive.toNet");
    private final BidiShape<FrameEventOrError, FrameEventOrError, FrameEvent, FrameEvent> shape =
        BidiShape.of(fromNet, toApp, fromApp, toNet);
    private final SharedKillSwitch close;

    KeepAlive(SharedKillSwitch close) {
      this.close = close;
    }

    @Override
    public BidiShape<FrameEventOrError, FrameEventOrError, FrameEvent, FrameEvent> shape() {
      return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
      return new TimerGraphStageLogic(shape) {
        private final PingSchedule schedule =
            new PingSchedule(nowMs(), pingMs, pongTimeoutMs, maxLifeMs);

        /** A close frame went either way: the close handshake owns the connection now. */
        private boolean closing;

        {
          setHandler(
              fromNet,
              new AbstractInHandler() {
                @Override
                public void onPush() {
                  FrameEventOrError e = grab(fromNet);
                  if (e instanceof FrameStart f) {
                    Protocol.Opcode op = f.header().opcode();
                    if (op.code() == PONG && f.lastPart()) {
                      schedule.pongReceived(f.data().utf8String(), nowMs());
                    } else if (op.code() == CLOSE) {
                      closing = true;
                    }
                  }
                  push(toApp, e);
                }
              });
          setHandler(
              toApp,
              new AbstractOutHandler() {
                @Override
                public void onPull() {
                  pull(fromNet);
                }
              });
          setHandler(
              fromApp,
              new AbstractInHandler() {
                @Override
                public void onPush() {
                  FrameEvent e = grab(fromApp);
                  if (e instanceof FrameStart f && f.header().opcode().code() == CLOSE) {
                    closing = true;
                  }
                  emit(toNet, e, pullApp);
                }
              });
          setHandler(
              toNet,
              new AbstractOutHandler() {
                @Override
                public void onPull() {
                  pullApp();
                }
              });
        }

        /** After an emit the port's handler is back but its pull was consumed: ask above again. */
        private final akka.japi.function.Effect pullApp = this::pullApp;

        private void pullApp() {
          if (!hasBeenPulled(fromApp) && !isClosed(fromApp)) {
            pull(fromApp);
          }
        }

        @Override
        public void preStart() {
          scheduleOnce("ping", Duration.ofMillis(pingMs));
          scheduleOnce(
              "deadline", Duration.ofMillis(Math.max(0, schedule.closeDeadline() - nowMs())));
        }

        @Override
        public void onTimer(Object key) {
          long now = nowMs();
          if (closing) {
            return;
          }
          if ("ping".equals(key)) {
            String payload = schedule.pingSent(now);
            emit(
                toNet,
                FrameEvent.fullFrame(
                    Protocol.Opcode$.MODULE$.forCode(PING),
                    Option.empty(),
                    ByteString.fromString(payload),
                    true,
                    false,
                    false,
                    false),
                pullApp);
            scheduleOnce("ping", Duration.ofMillis(Math.max(0, schedule.nextPingAt() - now)));
            return;
          }
          String reason = schedule.closeReason(now);
          if (reason == null) {
            scheduleOnce(
                "deadline", Duration.ofMillis(Math.max(0, schedule.closeDeadline() - now)));
          } else {
            log.info("sim: closing WebSocket: {}", reason);
            closing = true;
            close.shutdown();
          }
        }
      };
    }
  }

  private static long nowMs() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
  }
}
