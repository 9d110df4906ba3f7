/**
 * The recorder: market data as received (hftbacktest's raw collector format), the REST snapshots of
 * every book (re)sync, and inside a running node its order requests, answers and user-stream
 * events, all on one clock, written off the feeds' threads so that a slow disk drops and counts
 * messages instead of stalling trading.
 */
package io.phoenix.recorder;
