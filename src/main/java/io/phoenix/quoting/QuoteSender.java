package io.phoenix.quoting;

import akka.actor.typed.ActorRef;
import io.phoenix.model.OrderIntent;
import io.phoenix.model.Side;
import io.phoenix.model.TimeInForce;
import io.phoenix.ops.LatencyRecorder;
import io.phoenix.risk.Risk;
import java.util.ArrayList;
import java.util.List;

/**
 * A quoter's requote and where its orders go: {@link QuoterCore#requote} decides, its actions
 * become {@link OrderIntent}s stamped with the decision time and the arrival of the oldest book
 * frame not yet answered, and they go to risk in one message. Not an actor: it runs on the quoter's
 * thread and holds only the refs it sends to.
 */
final class QuoteSender {
  private final QuoterCore core;
  private final int symbolId;
  private final ActorRef<Risk.Command> risk;
  private final ActorRef<Risk.Decision> decisions;
  private final LatencyRecorder stages;
  // arrival of the oldest book frame not yet answered by a requote (0 = none): orders carry it
  private long pendingFrameNanos;

  /**
   * @param decisions where risk answers (the quoter's adapter)
   * @param stages gets frame-to-decision of every requote that places orders because of a frame
   */
  QuoteSender(
      QuoterCore core,
      int symbolId,
      ActorRef<Risk.Command> risk,
      ActorRef<Risk.Decision> decisions,
      LatencyRecorder stages) {
    this.core = core;
    this.symbolId = symbolId;
    this.risk = risk;
    this.decisions = decisions;
    this.stages = stages;
  }

  /** A book frame that arrived at {@code frameNanos} moved the top; the next requote answers it. */
  void frameArrived(long frameNanos) {
    if (pendingFrameNanos == 0) {
      pendingFrameNanos = frameNanos;
    }
  }

  /** Requotes now and sends what changed to risk (nothing when nothing changed). */
  void requote() {
    long now = System.nanoTime();
    int n = core.requote(now);
    long decided = System.nanoTime();
    long frame = pendingFrameNanos;
    pendingFrameNanos = 0;
    if (n == 0) {
      return;
    }
    boolean placed = false;
    List<OrderIntent> intents = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String id = core.actionClientId(i);
      OrderIntent intent =
          switch (core.actionKind(i)) {
            case PLACE -> {
              placed = true;
              yield new OrderIntent.Place(
                  symbolId,
                  id,
                  core.actionBuy(i) ? Side.BUY : Side.SELL,
                  core.actionPrice(i),
                  core.actionQty(i),
                  TimeInForce.GTX,
                  false,
                  decided,
                  frame);
            }
            case CANCEL -> new OrderIntent.Cancel(symbolId, id);
            case AMEND ->
                new OrderIntent.Amend(symbolId, id, core.actionPrice(i), core.actionQty(i));
          };
      intents.add(intent);
    }
    // recorded before the intents leave: later stages of the same orders may complete on other
    // threads before this one would get back to it
    if (placed && frame != 0) {
      stages.recordBetween(LatencyRecorder.Stage.FRAME_TO_DECISION, frame, decided);
    }
    if (n == 1) {
      risk.tell(new Risk.Check(intents.get(0), decisions));
    } else {
      risk.tell(new Risk.CheckAll(intents, decisions));
    }
  }
}
