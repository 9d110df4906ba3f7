/**
 * Operations: the process's Prometheus registry and Phoenix metric names ({@link
 * io.phoenix.ops.Metrics}, per-actor meters, hot-path stage latency histograms), the ops HTTP
 * server (metrics, JSON API, token-guarded kill switch, live dashboard) over an {@link
 * io.phoenix.ops.OpsView} the trading side implements, logging guards that keep secrets out of
 * every log line, and the orderly shutdown sequence. Nothing here is on the hot path except the
 * wait-free latency and counter updates.
 */
package io.phoenix.ops;
