package chat.pronto.load;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.DeliveryState;
import chat.pronto.model.Direction;
import chat.pronto.model.PeerId;
import chat.pronto.session.ChatEvent;
import chat.pronto.session.ChatListener;
import chat.pronto.stream.StreamConfig;
import chat.pronto.testing.ChatCore;
import chat.pronto.testing.CuttableLink;
import chat.pronto.testing.FakeLink;

/**
 * One receiving Pronto core and many sending cores in one JVM, as on a LAN: each sender advertises
 * an address of its own (127.0.0.N) and its streams really come from it — a relay in front of the
 * receiver, one per sender, connects from the sender's address, so the receiver's presence check
 * and its per-host share of streams see 50 hosts, not one. TLS is end to end through the relay.
 */
final class Crowd implements AutoCloseable {
    /** The receiver, as the test sees it; its streams' threads are named after the senders. */
    final ChatCore receiver;
    final List<ChatCore> senders = new ArrayList<>();
    /** What the receiver got, per sender: bodies seen, and how many arrived twice. */
    final Map<PeerId, Set<String>> received = new ConcurrentHashMap<>();
    final AtomicInteger receivedTotal = new AtomicInteger();
    final AtomicInteger duplicates = new AtomicInteger();
    /** Message ids the senders saw acknowledged (receipt), all senders together. */
    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    /** The latest state each sender's message reached, and what went wrong on the way (for a failure's story). */
    final Map<String, DeliveryState> states = new ConcurrentHashMap<>();
    final java.util.Queue<String> troubles = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final List<CuttableLink> relays = new ArrayList<>();

    /** A peer reported gone but still there is seen again this soon: as measured with JmDNS in the lab. */
    static final Duration COMEBACK = Duration.ofMillis(60);

    private Crowd(ChatCore receiver) {
        this.receiver = receiver;
    }

    static String senderName(int i) {
        return String.format("s%02d@crowd", i);
    }

    /** Address of sender {@code i}: 127.0.1.(i+1), distinct hosts on the loopback network. */
    static InetAddress senderAddress(int i) throws IOException {
        return InetAddress.getByAddress(new byte[] {127, 0, (byte) (1 + i / 250), (byte) (1 + i % 250)});
    }

    /** How long starting the crowd took (cores, identities, histories, relays). */
    long startMillis;

    static Crowd start(int senders, Duration idle, UnaryOperator<StreamConfig> receiverStreams) throws IOException {
        long began = System.nanoTime();
        FakeLink link = new FakeLink();
        ChatCore receiver = ChatCore.on(link, "pronto@receiver").idle(idle).streams(receiverStreams)
                .startWith(presence -> presence.comeBackAfter(COMEBACK));
        Crowd crowd = new Crowd(receiver);
        try {
            receiver.chat.addListener(crowd.receiverTally());
            List<ChatCore> started = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.stream.IntStream.range(0, senders).parallel().forEach(i -> {
                try {
                    InetAddress address = senderAddress(i);
                    CuttableLink relay = new CuttableLink(receiver.chat.port(), address);
                    synchronized (crowd.relays) {
                        crowd.relays.add(relay);
                    }
                    ChatCore.Builder builder = ChatCore.on(link, senderName(i)).bind(address).advertising(address)
                            .idle(idle);
                    ChatCore sender = builder.startWith(presence -> {
                        presence.seePortOf(receiver.id(), relay.port());
                        presence.comeBackAfter(COMEBACK);
                    });
                    sender.chat.addListener(crowd.senderTally());
                    started.add(sender);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            crowd.senders.addAll(started);
            crowd.senders.sort(java.util.Comparator.comparing(core -> core.id().name()));
            crowd.startMillis = (System.nanoTime() - began) / 1_000_000;
            return crowd;
        } catch (RuntimeException e) {
            crowd.close();
            throw e;
        }
    }

    private ChatListener receiverTally() {
        return event -> {
            if (event instanceof ChatEvent.MessageAdded added && added.message().direction() == Direction.INCOMING) {
                ChatMessage message = added.message();
                if (!received.computeIfAbsent(message.peer(), peer -> ConcurrentHashMap.newKeySet())
                        .add(message.body())) {
                    duplicates.incrementAndGet();
                }
                receivedTotal.incrementAndGet();
            }
        };
    }

    private ChatListener senderTally() {
        return event -> {
            if (event instanceof ChatEvent.MessageUpdated updated) {
                states.put(updated.message().id(), updated.message().state());
                if (updated.message().state() == DeliveryState.DELIVERED) {
                    acknowledged.add(updated.message().id());
                }
            } else if (event instanceof ChatEvent.MessageAdded added) {
                states.putIfAbsent(added.message().id(), added.message().state());
            } else if (event instanceof ChatEvent.Unreachable unreachable
                    && unreachable.problem().kind() != chat.pronto.model.Problem.Kind.NOT_ON_NETWORK
                    || event instanceof ChatEvent.Notice || event instanceof ChatEvent.KeyChanged) {
                troubles.add(event.toString());
            }
        };
    }

    /** What the receiver got from whom, and where the senders' messages stand: for a failure's message. */
    String story() {
        Map<DeliveryState, Long> byState = new java.util.TreeMap<>(states.values().stream()
                .collect(java.util.stream.Collectors.groupingBy(state -> state, java.util.stream.Collectors.counting())));
        String short_ = senders.stream().filter(s -> received.getOrDefault(s.id(), Set.of()).size() < expectedEach)
                .map(s -> s.id().user() + ":" + received.getOrDefault(s.id(), Set.of()).size())
                .collect(java.util.stream.Collectors.joining(" "));
        List<String> some = troubles.stream().limit(10).toList();
        return "senders short of " + expectedEach + ": [" + short_ + "]; senders' message states " + byState
                + "; troubles (" + troubles.size() + ", first 10): " + some;
    }

    volatile int expectedEach;

    /** The senders' troubles, counted by kind (streams lost, refused, …), since the crowd started. */
    String troubleCounts() {
        return troubles.stream().map(trouble -> trouble.replaceAll("^(\\w+).*?kind=(\\w+).*$", "$1 $2"))
                .collect(java.util.stream.Collectors.groupingBy(kind -> kind, java.util.TreeMap::new,
                        java.util.stream.Collectors.counting())).toString();
    }

    /** Streams the receiver has open or in negotiation. */
    int receiverStreams() {
        return receiver.chat.engine().streams().size();
    }

    @Override
    public void close() {
        List<AutoCloseable> all = new ArrayList<>(senders);
        all.add(receiver);
        all.parallelStream().forEach(core -> {
            try {
                core.close();
            } catch (Exception ignored) {
                // Closing anyway.
            }
        });
        for (CuttableLink relay : relays) {
            try {
                relay.close();
            } catch (IOException ignored) {
                // Closing anyway.
            }
        }
    }
}
