package chat.pronto.model;

import java.time.Instant;

/** Raw XML that went over a stream, for the debug console: when, with whom, which way. */
public record TrafficLine(Instant at, long streamId, String peer, boolean incoming, String xml, boolean encrypted) {
}
