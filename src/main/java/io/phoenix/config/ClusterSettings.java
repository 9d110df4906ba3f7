package io.phoenix.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How the node takes part in its Akka Cluster ({@code phoenix.cluster}). Every node is a cluster
 * member; alone, with no seed nodes and no bootstrap, it joins itself and is a one-node cluster.
 *
 * @param hostname the address other members reach this node at (Artery's canonical hostname)
 * @param port the cluster port (Artery TCP); 0 picks a free one
 * @param seedNodes members to join, {@code akka://phoenix@host:port}; empty: join itself, unless
 *     {@code bootstrap}
 * @param bootstrap find the other members through Akka Discovery (Cluster Bootstrap; the Kubernetes
 *     API in deploy/k8s) instead of seed nodes
 * @param managementEnabled serve Akka Management HTTP (health checks, cluster members, bootstrap)
 * @param managementHostname interface and advertised host of the management endpoint
 * @param managementPort its port; 0 picks a free one
 * @param epochTimeout limit of each majority write and read of a unit's fencing epoch
 * @param leaseRenewInterval period of the majority read that renews a unit's epoch lease
 * @param lease how long one confirmation lets the unit send new orders
 * @param unitKeepAlive how often Cluster Sharding checks that every unit runs somewhere
 * @param downRemovalMargin how long after a member is downed its units wait to start elsewhere
 */
public record ClusterSettings(
    String hostname,
    int port,
    List<String> seedNodes,
    boolean bootstrap,
    boolean managementEnabled,
    String managementHostname,
    int managementPort,
    Duration epochTimeout,
    Duration leaseRenewInterval,
    Duration lease,
    Duration unitKeepAlive,
    Duration downRemovalMargin) {

  /** The actor system's name: seed-node addresses carry it. */
  public static final String SYSTEM_NAME = "phoenix";

  public static ClusterSettings fromConfig(Config config) {
    ConfigReader r = new ConfigReader(config, "phoenix.cluster");
    List<String> seeds = r.stringList("seed-nodes");
    for (String seed : seeds) {
      // host and a numeric port after the system name (the old check, a ':' anywhere, always
      // held: "akka://" has one)
      if (!seed.matches("akka://" + SYSTEM_NAME + "@[^:/@]+:[0-9]{1,5}")) {
        throw new SettingsException(
            r.key("seed-nodes"),
            "each must look like akka://" + SYSTEM_NAME + "@host:port, was " + seed);
      }
    }
    boolean bootstrap = r.bool("bootstrap");
    if (bootstrap && !seeds.isEmpty()) {
      throw new SettingsException(
          r.key("bootstrap"), "cannot be on while seed-nodes are set: choose one way to join");
    }
    ConfigReader m = r.at("management");
    boolean managementEnabled = m.bool("enabled");
    if (bootstrap && !managementEnabled) {
      throw new SettingsException(
          m.key("enabled"), "must be on when bootstrap is: members find each other through it");
    }
    ConfigReader e = r.at("epoch");
    Duration timeout = e.positiveDuration("timeout");
    Duration renew = e.positiveDuration("renew-interval");
    Duration lease = e.positiveDuration("lease");
    if (lease.compareTo(renew.plus(timeout)) <= 0) {
      throw new SettingsException(
          e.key("lease"),
          "must be longer than renew-interval + timeout ("
              + renew.plus(timeout)
              + "), or a healthy unit would stop between two renewals; was "
              + lease);
    }
    String pause = "akka.cluster.failure-detector.acceptable-heartbeat-pause";
    String stableAfter = "akka.cluster.split-brain-resolver.stable-after";
    if (config.hasPath(pause) && config.hasPath(stableAfter)) {
      // the majority cannot start a unit elsewhere before it has seen its member unreachable
      // (the pause) and the membership stable (stable-after): the cut-off side's lease must
      // have lapsed by then, whatever the removal margin
      Duration earliestTakeOver = config.getDuration(pause).plus(config.getDuration(stableAfter));
      if (lease.compareTo(earliestTakeOver) >= 0) {
        throw new SettingsException(
            e.key("lease"),
            "must be shorter than "
                + pause
                + " + "
                + stableAfter
                + " ("
                + earliestTakeOver
                + "), or a cut-off unit could still send orders when its successor starts; was "
                + lease);
      }
    }
    return new ClusterSettings(
        r.nonEmptyString("hostname"),
        r.intInRange("port", 0, 65535),
        seeds,
        bootstrap,
        managementEnabled,
        m.nonEmptyString("hostname"),
        m.intInRange("port", 0, 65535),
        timeout,
        renew,
        lease,
        r.positiveDuration("unit-keep-alive"),
        r.positiveDuration("down-removal-margin"));
  }

  /** Joins itself: no seed nodes and no bootstrap. */
  public boolean joinsItself() {
    return seedNodes.isEmpty() && !bootstrap;
  }

  /**
   * The Akka settings these imply, to be layered over the rest of the configuration of the node's
   * actor system only (the simulator's and the tests' systems stay local).
   */
  public Config akkaConfig() {
    // set here, over everything: in the packaged jar's merged reference.conf Akka's own defaults
    // of these keys may come after ours and win
    return ConfigFactory.parseMap(
        Map.ofEntries(
            Map.entry("akka.actor.provider", "cluster"),
            Map.entry("akka.remote.artery.canonical.hostname", hostname),
            Map.entry("akka.remote.artery.canonical.port", port),
            Map.entry("akka.cluster.seed-nodes", seedNodes),
            Map.entry(
                "akka.cluster.downing-provider-class",
                "akka.cluster.sbr.SplitBrainResolverProvider"),
            Map.entry(
                "akka.cluster.sharded-daemon-process.keep-alive-interval",
                unitKeepAlive.toMillis() + "ms"),
            Map.entry("akka.cluster.down-removal-margin", downRemovalMargin.toMillis() + "ms"),
            Map.entry("akka.cluster.jmx.multi-mbeans-in-same-jvm", "on"),
            Map.entry("akka.management.http.hostname", managementHostname),
            Map.entry("akka.management.http.port", managementPort)));
  }
}
