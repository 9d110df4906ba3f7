package io.phoenix.sim;

import akka.http.impl.engine.ws.FrameHandler;
import akka.http.impl.engine.ws.FrameStart;
import akka.http.impl.engine.ws.Protocol;
import akka.http.impl.engine.ws.ProtocolException;
import akka.http.scaladsl.model.ws.BinaryMessage;
import akka.http.scaladsl.model.ws.Message;
import akka.http.scaladsl.model.ws.PeerClosedConnectionException;
import akka.http.scaladsl.model.ws.TextMessage;
import akka.stream.Attributes;
import akka.stream.BidiShape;
import akka.stream.Inlet;
import akka.stream.Outlet;
import akka.stream.stage.AbstractInHandler;
import akka.stream.stage.AbstractOutHandler;
import akka.stream.stage.GraphStage;
import akka.stream.stage.GraphStageLogic;
import akka.stream.stage.TimerGraphStageLogic;
import akka.util.ByteString;
import akka.util.ByteStringBuilder;
import java.time.Duration;

/**
 * The message layer of a simulator WebSocket, in place of Akka HTTP's own ({@code
 * WebSocket.messageAPI}, internal API of the pinned 10.2): the same events in the same order
 * (control events from the frame handler go straight back down, the user's end and failure become
 * {@code UserHandlerCompleted} and {@code UserHandlerErredOut}, a tick drives the close timeout, a
 * peer's close completes or fails the user's input), but every message reaches the handler whole
 * ({@link TextMessage.Strict} or {@link BinaryMessage.Strict}), gathered here from its frames.
 * Akka's layer opens a sub-stream per message (split, prefix-and-tail, a cancelled tail), three
 * materializations that made up most of a WebSocket API request's server time; a simulator that
 * parses every request whole anyway has no use for streamed messages.
 */
final class WsMessageLayer
    extends GraphStage<BidiShape<FrameHandler.Output, Message, FrameStart, Object>> {
  private final Inlet<FrameHandler.Output> fromFrames = Inlet.create("WsMessageLayer.fromFrames");
  private final Outlet<Message> toUser = Outlet.create("WsMessageLayer.toUser");
  private final Inlet<FrameStart> fromUser = Inlet.create("WsMessageLayer.fromUser");
  private final Outlet<Object> toFrames = Outlet.create("WsMessageLayer.toFrames");
  private final BidiShape<FrameHandler.Output, Message, FrameStart, Object> shape =
      BidiShape.of(fromFrames, toUser, fromUser, toFrames);
  private final Duration tick;

  /** {@code tick}: how often the frame handler below is reminded of time, for its close timeout. */
  WsMessageLayer(Duration tick) {
    this.tick = tick;
  }

  @Override
  public BidiShape<FrameHandler.Output, Message, FrameStart, Object> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new TimerGraphStageLogic(shape) {
      private final StringBuilder text = new StringBuilder();
      private ByteStringBuilder binary;
      private boolean inMessage;
      private final akka.japi.function.Effect pullFrames = this::pullFrames;

      {
        setHandler(
            fromFrames,
            new AbstractInHandler() {
              @Override
              public void onPush() {
                FrameHandler.Output e = grab(fromFrames);
                if (e instanceof FrameHandler.BypassEvent b) {
                  if (e instanceof FrameHandler.MessagePart) {
                    emit(toFrames, b, () -> part(e));
                  } else {
                    emit(toFrames, b, pullFrames);
                  }
                } else {
                  part(e);
                }
              }

              @Override
              public void onUpstreamFinish() {
                if (!isClosed(toUser)) {
                  complete(toUser);
                }
                if (isClosed(fromUser)) {
                  completeStage();
                }
              }
            });
        setHandler(
            toUser,
            new AbstractOutHandler() {
              @Override
              public void onPull() {
                // frames are pulled when the previous message is delivered, not on demand
              }

              @Override
              public void onDownstreamFinish(Throwable cause) {
                // the user stopped reading: control frames and the user's output still flow
              }
            });
        setHandler(
            fromUser,
            new AbstractInHandler() {
              @Override
              public void onPush() {
                emit(toFrames, grab(fromUser), () -> pull(fromUser));
              }

              @Override
              public void onUpstreamFinish() {
                emit(toFrames, FrameHandler.UserHandlerCompleted$.MODULE$, this::finishIfDone);
              }

              @Override
              public void onUpstreamFailure(Throwable ex) {
                emit(toFrames, new FrameHandler.UserHandlerErredOut(ex), this::finishIfDone);
              }

              private void finishIfDone() {
                if (isClosed(fromFrames)) {
                  completeStage();
                }
              }
            });
        setHandler(
            toFrames,
            new AbstractOutHandler() {
              @Override
              public void onPull() {
                // emit() owns this port while it has something to send
              }
            });
      }

      @Override
      public void preStart() {
        pull(fromFrames);
        pull(fromUser);
        scheduleWithFixedDelay("tick", tick, tick);
      }

      @Override
      public void onTimer(Object key) {
        if (!isClosed(toFrames)) {
          emit(toFrames, akka.http.impl.engine.ws.WebSocket.Tick$.MODULE$);
        }
      }

      private void pullFrames() {
        if (!hasBeenPulled(fromFrames) && !isClosed(fromFrames)) {
          pull(fromFrames);
        }
      }

      /**
       * One message part from the frame handler: gathered, delivered when whole, or the peer's
       * close.
       */
      private void part(FrameHandler.Output e) {
        if (e instanceof FrameHandler.TextMessagePart t) {
          inMessage = !t.last();
          text.append(t.data());
          if (t.last()) {
            String whole = text.toString();
            text.setLength(0);
            deliver(new TextMessage.Strict(whole));
            return;
          }
        } else if (e instanceof FrameHandler.BinaryMessagePart b) {
          inMessage = !b.last();
          if (binary == null) {
            binary = new ByteStringBuilder();
          }
          binary.append(b.data());
          if (b.last()) {
            ByteString whole = binary.result();
            binary = null;
            deliver(new BinaryMessage.Strict(whole));
            return;
          }
        } else if (e instanceof FrameHandler.PeerClosed c) {
          if (!isClosed(toUser)) {
            if (c.code().isDefined()
                && Protocol.CloseCodes$.MODULE$.isError((Integer) c.code().get())) {
              fail(toUser, new PeerClosedConnectionException((Integer) c.code().get(), c.reason()));
            } else if (inMessage) {
              fail(
                  toUser,
                  new ProtocolException(
                      "Truncated message, peer closed connection in the middle of message."));
            } else {
              complete(toUser);
            }
          }
        } else if (e instanceof FrameHandler.ActivelyCloseWithCode c) {
          if (!isClosed(toUser)) {
            boolean error =
                c.code().isDefined()
                    && Protocol.CloseCodes$.MODULE$.isError((Integer) c.code().get());
            fail(
                toUser,
                error
                    ? new ProtocolException("Closing connection with error code " + c.code())
                    : new IllegalStateException("Regular close from FrameHandler is unexpected"));
          }
        }
        pullFrames();
      }

      private void deliver(Message m) {
        inMessage = false;
        if (isClosed(toUser)) {
          pullFrames();
        } else {
          emit(toUser, m, pullFrames);
        }
      }
    };
  }
}
