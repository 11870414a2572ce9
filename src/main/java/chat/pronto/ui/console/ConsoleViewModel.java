package chat.pronto.ui.console;

import chat.pronto.words.Sentences;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import chat.pronto.model.PeerId;
import chat.pronto.model.TrafficLine;
import chat.pronto.session.ChatService;

/**
 * The debug console: the last {@value #CAPACITY} chunks of raw traffic (older ones drop off), filters
 * by peer, direction and text, pause, and sending hand-typed stanzas with IQ answers matched by id.
 * Traffic arrives on stream threads and is handed to the FX thread in batches. FX thread otherwise.
 */
public final class ConsoleViewModel {
    public static final int CAPACITY = 5000;
    /** All the lines kept (and those held while paused) together: a flood cannot eat the memory. */
    public static final long MAX_CHARS = 4L * 1024 * 1024;
    /** One chunk is shown up to this long; the rest is counted, not kept. */
    public static final int MAX_LINE_CHARS = 64 * 1024;
    private static final Pattern IQ_ID = Pattern.compile("<iq\\b[^>]*\\bid=['\"]([^'\"]+)['\"]");
    private static final Pattern TYPE = Pattern.compile("\\btype=['\"](result|error)['\"]");

    public enum Show { ALL, IN, OUT }

    private final ChatService chat;
    private final Executor fx;
    private final ObservableList<TrafficLine> lines = FXCollections.observableArrayList();
    private final FilteredList<TrafficLine> shown = new FilteredList<>(lines);
    private final StringProperty peerFilter = new SimpleStringProperty("");
    private final StringProperty textFilter = new SimpleStringProperty("");
    private final javafx.beans.property.ObjectProperty<Show> direction =
            new javafx.beans.property.SimpleObjectProperty<>(Show.ALL);
    private final BooleanProperty paused = new SimpleBooleanProperty();
    private final StringProperty composeProblem = new SimpleStringProperty("");
    private final StringProperty iqStatus = new SimpleStringProperty("");
    private final Deque<TrafficLine> heldWhilePaused = new ArrayDeque<>();
    private long keptChars;
    private long heldChars;
    private final ConcurrentLinkedQueue<TrafficLine> arriving = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Map<String, Instant> awaitedIqs = new HashMap<>();
    private AutoCloseable watching;

    public ConsoleViewModel(ChatService chat, Executor fx) {
        this.chat = chat;
        this.fx = fx;
        peerFilter.addListener((o, b, n) -> refilter());
        textFilter.addListener((o, b, n) -> refilter());
        direction.addListener((o, b, n) -> refilter());
        paused.addListener((o, wasPaused, nowPaused) -> {
            if (!nowPaused) {
                heldWhilePaused.forEach(this::append);
                heldWhilePaused.clear();
            }
        });
    }

    /** Starts listening to the traffic (until {@link #stop}). */
    public void start() {
        watching = chat.watchTraffic(line -> {
            arriving.add(line);
            if (drainScheduled.compareAndSet(false, true)) {
                fx.execute(this::drain);
            }
        });
    }

    public void stop() {
        try {
            if (watching != null) {
                watching.close();
            }
        } catch (Exception ignored) {
            // nothing more to stop
        }
    }

    private void drain() {
        drainScheduled.set(false);
        TrafficLine line;
        while ((line = arriving.poll()) != null) {
            matchIqAnswer(line);
            line = shortened(line);
            if (paused.get()) {
                heldWhilePaused.add(line);
                heldChars += line.xml().length();
                while (heldWhilePaused.size() > CAPACITY || heldChars > MAX_CHARS) {
                    heldChars -= heldWhilePaused.removeFirst().xml().length();
                }
            } else {
                append(line);
            }
        }
    }

    private void append(TrafficLine line) {
        lines.add(line);
        keptChars += line.xml().length();
        int drop = 0;
        long dropped = 0;
        while (lines.size() - drop > CAPACITY || keptChars - dropped > MAX_CHARS) {
            dropped += lines.get(drop).xml().length();
            drop++;
        }
        if (drop > 0) {
            lines.remove(0, drop);
            keptChars -= dropped;
        }
    }

    /** A chunk longer than a screen can show is cut, saying how much was left out. */
    private static TrafficLine shortened(TrafficLine line) {
        if (line.xml().length() <= MAX_LINE_CHARS) {
            return line;
        }
        String cut = line.xml().substring(0, MAX_LINE_CHARS) + "… (" + (line.xml().length() - MAX_LINE_CHARS)
                + " more characters)";
        return new TrafficLine(line.at(), line.streamId(), line.peer(), line.incoming(), cut, line.encrypted());
    }

    private void refilter() {
        String peer = peerFilter.get() == null ? "" : peerFilter.get().strip().toLowerCase(Locale.ROOT);
        String text = textFilter.get() == null ? "" : textFilter.get().strip().toLowerCase(Locale.ROOT);
        Show which = direction.get();
        shown.setPredicate(line -> (peer.isEmpty() || String.valueOf(line.peer()).toLowerCase(Locale.ROOT).contains(peer))
                && (text.isEmpty() || line.xml().toLowerCase(Locale.ROOT).contains(text))
                && (which == Show.ALL || (which == Show.IN) == line.incoming()));
    }

    /** Sends {@code xml} to {@code peer}; an IQ's answer (or its absence) is reported by id. */
    public void send(String peer, String xml) {
        composeProblem.set("");
        if (peer == null || peer.isBlank()) {
            composeProblem.set("Pick someone to send it to (user@machine).");
            return;
        }
        Matcher id = IQ_ID.matcher(xml);
        // Awaited before it is sent: on a fast link the answer can arrive before the send returns.
        String iqId = id.find() ? id.group(1) : null;
        if (iqId != null) {
            awaitedIqs.put(iqId, Instant.now());
            iqStatus.set("iq " + iqId + ": waiting for the answer…");
        }
        chat.sendRaw(PeerId.of(peer.strip()), xml).whenCompleteAsync((done, error) -> {
            if (error != null) {
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                composeProblem.set(Sentences.of(cause, peer.strip()));
                if (iqId != null && awaitedIqs.remove(iqId) != null) {
                    iqStatus.set("");
                }
                return;
            }
            if (iqId != null) {
                // Straight onto fx after the wait: nothing of it runs on the common pool.
                java.util.concurrent.CompletableFuture.delayedExecutor(10, java.util.concurrent.TimeUnit.SECONDS, fx)
                        .execute(() -> {
                            if (awaitedIqs.remove(iqId) != null) {
                                iqStatus.set("iq " + iqId + ": no answer within 10 s (legacy peers such as Pidgin"
                                        + " never answer IQs)");
                            }
                        });
            }
        }, fx);
    }

    private void matchIqAnswer(TrafficLine line) {
        if (!line.incoming() || awaitedIqs.isEmpty()) {
            return;
        }
        Matcher id = IQ_ID.matcher(line.xml());
        while (id.find()) {
            Instant asked = awaitedIqs.remove(id.group(1));
            if (asked != null) {
                Matcher type = TYPE.matcher(line.xml().substring(id.start()));
                iqStatus.set("iq " + id.group(1) + ": " + (type.find() ? type.group(1) : "answer") + " after "
                        + Duration.between(asked, line.at()).toMillis() + " ms");
            }
        }
    }

    public void clear() {
        lines.clear();
        keptChars = 0;
        heldWhilePaused.clear();
    }

    /** The shown lines as text (for copy and save). */
    public String asText() {
        StringBuilder text = new StringBuilder();
        for (TrafficLine line : shown) {
            text.append(line.at()).append(' ').append(line.incoming() ? "<<" : ">>").append(' ')
                    .append(line.peer()).append('\n').append(line.xml()).append('\n');
        }
        return text.toString();
    }

    public ObservableList<TrafficLine> shown() {
        return shown;
    }

    public StringProperty peerFilterProperty() {
        return peerFilter;
    }

    public StringProperty textFilterProperty() {
        return textFilter;
    }

    public javafx.beans.property.ObjectProperty<Show> directionProperty() {
        return direction;
    }

    public BooleanProperty pausedProperty() {
        return paused;
    }

    public StringProperty composeProblemProperty() {
        return composeProblem;
    }

    public StringProperty iqStatusProperty() {
        return iqStatus;
    }
}
