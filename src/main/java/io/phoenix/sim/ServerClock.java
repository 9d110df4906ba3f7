package io.phoenix.sim;

/** Server time = wall clock + injected skew. */
interface ServerClock {
  long now();
}
