package io.phoenix;

import akka.actor.typed.ActorRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the trading units run, as the cluster's receptionist last listed them: each unit registers
 * itself under its own key when it starts ({@link UnitRegistry} keeps this up to date). Read by the
 * node's root (to pass questions to the units on this node), the shutdown sequence and the ops
 * view. Thread-safe: written by one actor, read by any thread.
 */
final class UnitDirectory {
  private final List<String> names;
  private final Map<String, List<ActorRef<PhoenixGuardian.Command>>> listed =
      new ConcurrentHashMap<>();

  /**
   * @param names every unit of the cluster, in the order of {@code phoenix.units}
   */
  UnitDirectory(List<String> names) {
    this.names = List.copyOf(names);
  }

  List<String> names() {
    return names;
  }

  void listed(String unit, Set<ActorRef<PhoenixGuardian.Command>> refs) {
    listed.put(unit, List.copyOf(refs));
  }

  /** The units running on this node, in configuration order. */
  List<ActorRef<PhoenixGuardian.Command>> local() {
    List<ActorRef<PhoenixGuardian.Command>> out = new ArrayList<>();
    for (String name : names) {
      for (ActorRef<PhoenixGuardian.Command> ref : listed.getOrDefault(name, List.of())) {
        if (ref.path().address().hasLocalScope()) {
          out.add(ref);
        }
      }
    }
    return out;
  }

  /**
   * Each unit's node address ("local" for this node's own); an empty list while a unit runs nowhere
   * (moving, or not started yet).
   */
  Map<String, List<String>> placement(String selfAddress) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String name : names) {
      List<String> where = new ArrayList<>();
      for (ActorRef<PhoenixGuardian.Command> ref : listed.getOrDefault(name, List.of())) {
        where.add(
            ref.path().address().hasLocalScope() ? selfAddress : ref.path().address().toString());
      }
      out.put(name, List.copyOf(where));
    }
    return out;
  }
}
