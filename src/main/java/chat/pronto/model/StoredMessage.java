package chat.pronto.model;

/** A message as stored: {@code number} orders a conversation and pages it. */
public record StoredMessage(long number, ChatMessage message) {
}
