package io.phoenix;

import akka.actor.typed.ActorRef;
import io.phoenix.execution.OrderGateway;
import io.phoenix.journal.JournalFeed;
import io.phoenix.model.OrderEvent;
import io.phoenix.recorder.Recorder;
import io.phoenix.risk.Risk;
import java.util.ArrayList;
import java.util.List;

/**
 * Hot-path link 2 of 2, risk to gateway: risk's {@link Risk.Outlet}, run on risk's thread. Every
 * approved intent goes to the {@code order-gateway} unchanged ({@link OrderGateway.Submit}, or one
 * {@link OrderGateway.SubmitAll} per requote), then a copy to the journal feed and the recorder
 * (conversion happens there, off this path). Risk hands over every gateway answer after it has
 * forwarded it to the quoter, so the journal also sees rejections that never reach the user stream.
 */
final class RiskToGateway implements Risk.Outlet {
  private final ActorRef<OrderGateway.Command> gateway;
  // null without a journal
  private final ActorRef<JournalFeed.Command> journalFeed;
  // null unless phoenix.recorder.enabled
  private final Recorder recorder;

  RiskToGateway(
      ActorRef<OrderGateway.Command> gateway,
      ActorRef<JournalFeed.Command> journalFeed,
      Recorder recorder) {
    this.gateway = gateway;
    this.journalFeed = journalFeed;
    this.recorder = recorder;
  }

  @Override
  public void send(Risk.Outbound.Send send) {
    gateway.tell(submit(send));
    copy(send);
  }

  @Override
  public void sendAll(List<Risk.Outbound.Send> sends) {
    List<OrderGateway.Submit> submits = new ArrayList<>(sends.size());
    for (Risk.Outbound.Send send : sends) {
      submits.add(submit(send));
    }
    gateway.tell(new OrderGateway.SubmitAll(submits));
    sends.forEach(this::copy);
  }

  @Override
  public void observed(OrderEvent event) {
    if (recorder != null) {
      recorder.answer(System.nanoTime(), event);
    }
    if (journalFeed != null) {
      journalFeed.tell(new JournalFeed.Gateway(event));
    }
  }

  private static OrderGateway.Submit submit(Risk.Outbound.Send send) {
    return new OrderGateway.Submit(send.intent(), send.replyTo(), send.riskNanos());
  }

  private void copy(Risk.Outbound.Send send) {
    if (recorder != null) {
      recorder.request(System.nanoTime(), send.intent());
    }
    if (journalFeed != null) {
      journalFeed.tell(new JournalFeed.Requested(send.intent()));
    }
  }
}
