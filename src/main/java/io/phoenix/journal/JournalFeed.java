package io.phoenix.journal;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.phoenix.core.Instrument;
import io.phoenix.model.AccountEvent;
import io.phoenix.model.OrderEvent;
import io.phoenix.model.OrderIntent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Feeds the {@link Journal} from the running system, off the trading path: approved order requests
 * and the gateway's answers (both copied by risk's outlet to the gateway, set up by the guardian)
 * and every user-stream event (subscribed with {@code SubscribeAll}). Conversion to exact decimals
 * happens here ({@link JournalEntries}).
 *
 * <p>Commands: {@link Requested}, {@link Gateway}, {@link Account}; no replies. The first {@code
 * UserStreamUp} is passed on to {@code firstUp} (the guardian then completes the journal from the
 * exchange's trade list). Rejections are also counted through {@code rejectCode}. An event that
 * cannot be converted is logged and skipped. Stateless apart from the first-up flag, so a restart
 * loses nothing but that flag (the completion then runs at most once more: harmless, inserts are
 * idempotent).
 */
public final class JournalFeed extends AbstractBehavior<JournalFeed.Command> {

  public sealed interface Command {}

  /** An order request as handed to the gateway. */
  public record Requested(OrderIntent intent) implements Command {}

  /** An answer of the gateway. */
  public record Gateway(OrderEvent event) implements Command {}

  /** An event of the user data stream. */
  public record Account(AccountEvent event) implements Command {}

  private final ActorRef<Journal.Command> journal;
  private final Map<Integer, Instrument> instruments = new HashMap<>();
  private final ActorRef<AccountEvent.UserStreamUp> firstUp;
  private final Consumer<String> rejectCode;
  private boolean upSeen;

  private JournalFeed(
      ActorContext<Command> context,
      List<Instrument> instruments,
      ActorRef<Journal.Command> journal,
      ActorRef<AccountEvent.UserStreamUp> firstUp,
      Consumer<String> rejectCode) {
    super(context);
    this.journal = journal;
    this.firstUp = firstUp;
    this.rejectCode = rejectCode;
    instruments.forEach(i -> this.instruments.put(i.id(), i));
  }

  public static Behavior<Command> create(
      List<Instrument> instruments,
      ActorRef<Journal.Command> journal,
      ActorRef<AccountEvent.UserStreamUp> firstUp,
      Consumer<String> rejectCode) {
    return Behaviors.setup(ctx -> new JournalFeed(ctx, instruments, journal, firstUp, rejectCode));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Requested.class, this::onRequested)
        .onMessage(Gateway.class, this::onGateway)
        .onMessage(Account.class, this::onAccount)
        .build();
  }

  private Behavior<Command> onRequested(Requested r) {
    if (r.intent() instanceof OrderIntent.Place p) {
      append(p.symbolId(), ins -> JournalEntries.requested(p, ins, System.currentTimeMillis()), r);
    }
    return this;
  }

  private Behavior<Command> onGateway(Gateway g) {
    if (g.event() instanceof OrderEvent.OrderRejected rej) {
      rejectCode.accept(rej.code() == 0 ? "local" : Integer.toString(rej.code()));
      append(
          rej.symbolId(), ins -> JournalEntries.rejected(rej, ins, System.currentTimeMillis()), g);
    }
    return this;
  }

  private Behavior<Command> onAccount(Account a) {
    AccountEvent event = a.event();
    if (event instanceof AccountEvent.OrderUpdate u) {
      append(u.symbolId(), ins -> JournalEntries.fromOrderUpdate(u, ins), a);
    } else if (event instanceof AccountEvent.FundingPaid f) {
      journal.tell(new Journal.Append(JournalEntries.funding(f)));
    } else if (event instanceof AccountEvent.UserStreamUp up && !upSeen) {
      upSeen = true;
      firstUp.tell(up);
    }
    return this;
  }

  private void append(
      int symbolId, java.util.function.Function<Instrument, JournalEntry> convert, Object source) {
    Instrument ins = instruments.get(symbolId);
    if (ins == null) {
      getContext()
          .getLog()
          .warn("journal feed: event of unknown symbol id {} skipped: {}", symbolId, source);
      return;
    }
    JournalEntry entry;
    try {
      entry = convert.apply(ins);
    } catch (RuntimeException e) {
      getContext().getLog().error("journal feed: cannot journal {}: {}", source, e.toString());
      return;
    }
    if (entry != null) {
      journal.tell(new Journal.Append(entry));
    }
  }
}
