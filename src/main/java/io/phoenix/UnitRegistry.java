package io.phoenix;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;

/**
 * Keeps the {@link UnitDirectory} in step with the receptionist: subscribes to every unit's key and
 * writes each new listing into the directory. No timers, no replies.
 */
final class UnitRegistry {

  sealed interface Command {}

  private record Listed(Receptionist.Listing listing) implements Command {}

  private UnitRegistry() {}

  static Behavior<Command> create(UnitDirectory directory) {
    return Behaviors.setup(
        context -> {
          ActorRef<Receptionist.Listing> listings =
              context.messageAdapter(Receptionist.Listing.class, Listed::new);
          for (String unit : directory.names()) {
            context
                .getSystem()
                .receptionist()
                .tell(Receptionist.subscribe(PhoenixGuardian.unitKey(unit), listings));
          }
          return Behaviors.receive(Command.class)
              .onMessage(
                  Listed.class,
                  listed -> {
                    Receptionist.Listing listing = listed.listing();
                    @SuppressWarnings("unchecked")
                    ServiceKey<PhoenixGuardian.Command> key =
                        (ServiceKey<PhoenixGuardian.Command>) listing.getKey();
                    directory.listed(
                        key.id().substring("trading-unit-".length()),
                        listing.getServiceInstances(key));
                    return Behaviors.same();
                  })
              .build();
        });
  }
}
