package io.phoenix.ops;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;

/**
 * The process's one metrics registry (Prometheus text through {@link #scrape()}), with the JVM
 * binders bound and helpers that give every Phoenix series a stable, documented name.
 *
 * <p>Series defined here (Prometheus names): {@code phoenix_actor_messages_total{actor}}, {@code
 * phoenix_actor_handling_seconds{actor}}, {@code phoenix_actor_restarts_total{actor}}, {@code
 * phoenix_stage_latency_seconds{stage,percentile}}, {@code phoenix_stage_latency_samples{stage}},
 * {@code phoenix_order_budget_used_ratio}, {@code phoenix_order_rejects_total{code}}, {@code
 * phoenix_position{symbol}}, {@code phoenix_notional_usd{symbol}}, {@code
 * phoenix_pnl_realized_usd{symbol}}, {@code phoenix_pnl_unrealized_usd{symbol}}, {@code
 * phoenix_funding_usd{symbol}}, {@code phoenix_kill_switch_active}, {@code
 * phoenix_ops_bad_requests_total{reason}}, {@code phoenix_journal_*}.
 *
 * <p>Suppliers given to gauges are called on the scraping thread: they must be cheap and
 * thread-safe (read a volatile or an atomic published by the owning actor), never ask an actor.
 */
public final class Metrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gcMetrics;
  private final LatencyRecorder latency;
  private final Map<String, ActorMetrics> actors = new ConcurrentHashMap<>();

  private Metrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    new JvmMemoryMetrics().bindTo(registry);
    this.gcMetrics = new JvmGcMetrics();
    gcMetrics.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    this.latency = new LatencyRecorder();
    latency.bindTo(registry);
  }

  /** A fresh registry with JVM metrics bound; create one per process (tests: one per test). */
  public static Metrics create() {
    return new Metrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Prometheus text exposition format 0.0.4. */
  public String scrape() {
    latency.refresh();
    return registry.scrape();
  }

  public LatencyRecorder latency() {
    return latency;
  }

  /** The {@code unit} tag of actors outside any trading unit. */
  public static final String NO_UNIT = "none";

  /** The per-actor meters for a logical actor name (e.g. {@code quoter-BTCUSDT}); created once. */
  public ActorMetrics actor(String name) {
    return actor(NO_UNIT, name);
  }

  /** The per-actor meters of an actor of the trading unit {@code unit}; created once. */
  public ActorMetrics actor(String unit, String name) {
    String key = NO_UNIT.equals(unit) ? name : unit + ":" + name;
    return actors.computeIfAbsent(key, k -> new ActorMetrics(registry, unit, name));
  }

  /**
   * Wraps {@code behavior}, a child of the guardian of trading unit {@code unit}, with per-actor
   * meters tagged with the unit and the actor's name as a child of the unit (e.g. {@code
   * /user/quoter-BTCUSDT}, wherever Cluster Sharding placed the unit). Place it inside {@code
   * Behaviors.supervise(...)} so that restarts are counted; a restarted actor keeps its meters.
   */
  public <T> Behavior<T> instrument(Class<T> messageClass, Behavior<T> behavior, String unit) {
    return Behaviors.setup(
        ctx ->
            actor(unit, "/user/" + ctx.getSelf().path().name()).instrument(messageClass, behavior));
  }

  /** Restart counts of every instrumented actor, for the dashboard. */
  public Map<String, Long> actorRestarts() {
    Map<String, Long> out = new java.util.TreeMap<>();
    actors.forEach((name, m) -> out.put(name, m.restarts()));
    return out;
  }

  /** Share of the order-rate budget currently used, 0..1. */
  public void orderBudgetUsed(DoubleSupplier ratio) {
    gauge(
        "phoenix.order.budget.used.ratio",
        "Share of the exchange order-rate budget used (0..1)",
        Tags.empty(),
        ratio);
  }

  /**
   * Counts one order reject with its exchange or local code (e.g. "-2019", "risk-max-position").
   */
  public void recordReject(String code) {
    Counter.builder("phoenix.order.rejects")
        .description("Order rejects by code (exchange error codes and local risk codes)")
        .tag("code", code)
        .register(registry)
        .increment();
  }

  /** Position, notional, PnL and funding gauges of one symbol, all read from the given probes. */
  public void symbol(String symbol, SymbolProbes probes) {
    Tags tags = Tags.of("symbol", symbol);
    gauge("phoenix.position", "Signed position in base-asset units", tags, probes.position());
    gauge(
        "phoenix.notional.usd",
        "Absolute position notional at mark price",
        tags,
        probes.notional());
    gauge(
        "phoenix.pnl.realized.usd",
        "Realised PnL today, fees included",
        tags,
        probes.realizedPnl());
    gauge(
        "phoenix.pnl.unrealized.usd", "Unrealised PnL at mark price", tags, probes.unrealizedPnl());
    gauge(
        "phoenix.funding.usd", "Funding paid (negative) or received today", tags, probes.funding());
  }

  /** 1 while the kill switch is tripped, 0 otherwise. */
  public void killSwitch(BooleanSupplier active) {
    gauge(
        "phoenix.kill.switch.active",
        "1 while the kill switch is tripped",
        Tags.empty(),
        () -> active.getAsBoolean() ? 1.0 : 0.0);
  }

  /**
   * A gauge with an arbitrary name; the supplier is held strongly (Micrometer's default is weak).
   * Registering the same name and tags again replaces the supplier, so a restarted actor can
   * re-register its probes instead of leaving the gauge reading its dead predecessor.
   */
  public synchronized void gauge(String name, String description, Tags tags, DoubleSupplier value) {
    Gauge existing = registry.find(name).tags(tags).gauge();
    if (existing != null && existing.getId().getTags().size() == tags.stream().count()) {
      registry.remove(existing);
    }
    Gauge.builder(name, value, DoubleSupplier::getAsDouble)
        .description(description)
        .tags(tags)
        .strongReference(true)
        .register(registry);
  }

  /** Counts one rejected piece of input at an ops boundary (HTTP body, header, query). */
  public void badRequest(String reason) {
    Counter.builder("phoenix.ops.bad.requests")
        .description("Requests to the ops server rejected as malformed or unauthorised")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  public Counter counter(String name, String description, Tags tags) {
    return Counter.builder(name).description(description).tags(tags).register(registry);
  }

  @Override
  public void close() {
    gcMetrics.close();
    registry.close();
  }

  /** Live values for one symbol's gauges. */
  public record SymbolProbes(
      DoubleSupplier position,
      DoubleSupplier notional,
      DoubleSupplier realizedPnl,
      DoubleSupplier unrealizedPnl,
      DoubleSupplier funding) {}
}
