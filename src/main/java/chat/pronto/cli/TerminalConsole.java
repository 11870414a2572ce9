package chat.pronto.cli;

import chat.pronto.words.DiagnosisText;
import chat.pronto.words.Sentences;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import chat.pronto.model.ChatMessage;
import chat.pronto.model.Contact;
import chat.pronto.model.Direction;
import chat.pronto.model.OwnPresence;
import chat.pronto.model.PeerId;
import chat.pronto.model.Problem;
import chat.pronto.model.SafetyCode;
import chat.pronto.model.SavedPeer;
import chat.pronto.model.Status;
import chat.pronto.model.StoredMessage;
import chat.pronto.model.Transfer;
import chat.pronto.model.TransferState;
import chat.pronto.session.ChatEvent;
import chat.pronto.session.ChatListener;
import chat.pronto.session.ChatService;
import chat.pronto.session.RawStanza;

/**
 * Pronto in a terminal: one command per line on standard input, events as lines on standard output.
 * It is what runs until the desktop window exists, and what scripts and tests drive.
 */
public final class TerminalConsole {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    static final String HELP = """
            commands:
              peers                      who is nearby (and connected)
              show PEER                  what PEER publishes (TXT), its addresses, the stream, its key
              msg PEER TEXT              send TEXT to PEER (user@machine)
              history PEER [N]           the last N messages with PEER (default 20)
              retry PEER ID              send a failed message again
              status avail|away|dnd [MESSAGE]
              accept-key PEER            trust the new key PEER presented (compare fingerprints first)
              add HOST[:PORT] | LINK     reach someone the network does not show: by address, or by invite link
              invite                     your invite link (name, addresses, port and key) to hand to someone
              saved                      the peers reached by address, dialed again at start
              forget PEER                take PEER off the saved list
              verify PEER [confirm|FP]   compare keys with PEER; confirm (or the fingerprint PEER reads out) marks it verified
              unverify PEER              take the verified mark away
              diagnose                   why nobody shows up: interfaces, mDNS, firewalls, likely causes
              send-file PEER PATH…       offer files (a folder: every file in it); quote paths with spaces
              files                      transfers: offered, moving (with progress), done
              accept ID [DIR]            take an offered file (into DIR, or the download folder)
              decline ID                 say no to an offered file
              cancel ID                  stop a transfer either way
              send PEER <xml…>           send a stanza typed by hand (it may span lines until it closes)
              tail on|off                show every stream's raw XML as it goes
              help, quit""";

    private final ChatService chat;
    private final TerminalOutput output;
    /** The new key shown to the user per peer: what {@code accept-key} accepts. */
    private final java.util.Map<PeerId, String> presentedKeys = new java.util.concurrent.ConcurrentHashMap<>();
    private AutoCloseable traffic;
    /** The last state printed per transfer: progress alone prints nothing. */
    private final java.util.Map<String, TransferState> shownStates = new java.util.concurrent.ConcurrentHashMap<>();
    private final boolean machine;

    public TerminalConsole(ChatService chat, PrintStream out) {
        this(chat, out, false);
    }

    /** With {@code machine}, every line is a keyword and tab-separated fields ({@link MachineLines}). */
    public TerminalConsole(ChatService chat, PrintStream out, boolean machine) {
        this.chat = chat;
        this.output = new TerminalOutput(out);
        this.machine = machine;
        chat.addListener(new ChatListener() {
            @Override
            public void onChatEvent(ChatEvent event) {
                output.beginBurst();
                if (machine) {
                    output.println(MachineLines.of(event));
                } else {
                    print(event);
                }
            }

            @Override
            public void eventsDrained() {
                output.endBurst();
            }
        });
    }

    /**
     * A stream for whatever else prints to this terminal (made standard output by the launcher): the
     * log and the launcher's own lines keep their place among the console's, held with them during a
     * burst of events. Bytes written to it are read as UTF-8 (the log writes UTF-8, {@code LogSetup}); the
     * terminal's own stream encodes the text for the terminal, as before. (In the platform's charset, a
     * name the console's charset can show but the platform's cannot — a Windows console — became "?".)
     */
    public PrintStream sharedStream() {
        return output.asStream(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Writes whatever a burst still holds (at exit: a burst whose end never came must not keep its lines). */
    public void flush() {
        output.endBurst();
    }

    /** A problem found before the console started (a damaged settings file, say). */
    public void warn(Problem problem) {
        output.println("! " + clean(Sentences.of(problem)));
    }

    /** Reads commands until {@code quit} (returns true) or the end of input (returns false). */
    public boolean run(BufferedReader in) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            String command = line.strip();
            if (command.equals("quit") || command.equals("exit")) {
                return true;
            }
            if (command.startsWith("send ")) {
                sendRaw(command, in);
            } else if (!command.isEmpty()) {
                execute(command);
            }
        }
        return false;
    }

    /** {@code send PEER <xml…>}: reads further lines until the stanza is complete (or a blank line). */
    private void sendRaw(String command, BufferedReader in) throws IOException {
        String[] words = command.split("\\s+", 3);
        if (words.length < 3) {
            say("usage: send PEER <message …/>");
            return;
        }
        StringBuilder xml = new StringBuilder(words[2]);
        for (int lines = 1; lines < 500 && RawStanza.isIncomplete(xml.toString()); lines++) {
            String more = in.readLine();
            if (more == null || more.isBlank()) {
                break;
            }
            xml.append('\n').append(more);
        }
        try {
            await(chat.sendRaw(peer(words[1]), xml.toString()));
            say("sent to " + words[1]);
        } catch (IllegalArgumentException e) {
            say("not sent: " + e.getMessage());
        }
    }

    void execute(String line) {
        String[] words = line.split("\\s+", 3);
        try {
            switch (words[0]) {
                case "peers", "who" -> peers();
                case "show" -> {
                    require(words.length >= 2, "usage: show PEER");
                    show(peer(words[1]));
                }
                case "msg" -> {
                    require(words.length == 3, "usage: msg PEER TEXT");
                    // The next line is read at once: the message is said to be queued once it is stored
                    // (many lines typed or piped in quickly are stored together).
                    chat.send(peer(words[1]), words[2]).whenComplete((message, failure) -> {
                        if (failure == null) {
                            say("queued " + message.peer() + " " + message.id());
                        } else {
                            Throwable why = failure instanceof java.util.concurrent.CompletionException
                                    ? failure.getCause() : failure;
                            say(Sentences.of(why, "the peer"));
                        }
                    });
                }
                case "history" -> history(words);
                case "retry" -> {
                    require(words.length == 3, "usage: retry PEER ID");
                    await(chat.retry(peer(words[1]), words[2].strip()));
                }
                case "status" -> status(words);
                case "accept-key" -> {
                    require(words.length >= 2, "usage: accept-key PEER [FINGERPRINT]");
                    String shown = words.length == 3 ? words[2] : presentedKeys.get(peer(words[1]));
                    require(shown != null, "no new key was shown for " + words[1]);
                    await(chat.acceptNewKey(peer(words[1]), shown));
                    say("trusting the new key of " + words[1]);
                }
                case "add" -> {
                    require(words.length >= 2, "usage: add HOST[:PORT] | add xmpp:…?pronto;… (an invite link)");
                    String target = line.substring(line.indexOf(' ') + 1).strip();
                    PeerId added = await(target.regionMatches(true, 0, "xmpp:", 0, 5) ? chat.openInvite(target)
                            : chat.addByAddress(target));
                    say("added " + clean(added) + (target.regionMatches(true, 0, "xmpp:", 0, 5)
                            ? ", its key verified by the link" : ""));
                }
                case "invite" -> say("your invite link: " + await(chat.inviteLink()).format());
                case "saved" -> saved();
                case "forget" -> {
                    require(words.length == 2, "usage: forget PEER");
                    await(chat.forgetPeer(peer(words[1])));
                    say("forgot " + clean(words[1]));
                }
                case "verify" -> verify(words);
                case "diagnose" -> output.print(DiagnosisText.of(await(chat.diagnose())));
                case "unverify" -> {
                    require(words.length == 2, "usage: unverify PEER");
                    await(chat.unmarkVerified(peer(words[1])));
                    say(clean(words[1]) + " is no longer marked verified");
                }
                case "send-file" -> sendFiles(line);
                case "files" -> files();
                case "accept" -> {
                    require(words.length >= 2, "usage: accept ID [DIR]");
                    Optional<Path> folder = words.length == 3 ? Optional.of(Path.of(unquote(words[2].strip())))
                            : Optional.empty();
                    say("accepting " + await(chat.acceptFile(words[1], folder)).name());
                }
                case "decline" -> {
                    require(words.length == 2, "usage: decline ID");
                    say("declined " + await(chat.declineFile(words[1])).name());
                }
                case "cancel" -> {
                    require(words.length == 2, "usage: cancel ID");
                    say("cancelled " + await(chat.cancelTransfer(words[1])).name());
                }
                case "help" -> output.println(HELP);
                case "tail" -> tail(words);
                default -> say("unknown command " + words[0] + " (try help)");
            }
        } catch (IllegalArgumentException e) {
            say(e.getMessage());
        }
    }

    /** {@code send-file PEER PATH…}: each file offered; a folder sends every file in it, keeping its tree. */
    private void sendFiles(String line) {
        List<String> words = Arguments.split(line);
        require(words.size() >= 3, "usage: send-file PEER PATH…");
        PeerId to = peer(words.get(1));
        List<Path> paths = words.subList(2, words.size()).stream().map(Path::of).toList();
        chat.sendFiles(to, paths).whenComplete((transfers, failure) -> {
            if (failure != null) {
                say("not sent: " + Sentences.of(failure, to.name()));
                return;
            }
            for (Transfer transfer : transfers) {
                say("offering " + transfer.name() + " (" + Sentences.bytes(transfer.size()) + ") to " + to + " as "
                        + transfer.id());
            }
        });
    }

    private void files() {
        List<Transfer> all = await(chat.transfers());
        if (all.isEmpty()) {
            say("no transfers yet");
        }
        for (Transfer transfer : all) {
            output.println(machine ? MachineLines.transfer(transfer) : "  " + describe(transfer));
        }
    }

    static String describe(Transfer transfer) {
        String way = transfer.direction() == Direction.OUTGOING ? "to" : "from";
        String state = transfer.state().name().toLowerCase(Locale.ROOT);
        String progress = transfer.state() == TransferState.ACTIVE || transfer.state() == TransferState.INTERRUPTED
                ? String.format(Locale.ROOT, " %.0f%% (%s of %s)", transfer.progress() * 100,
                        Sentences.bytes(transfer.done()), Sentences.bytes(transfer.size()))
                : " " + Sentences.bytes(transfer.size());
        return clean(transfer.id() + "  " + transfer.name() + " " + way + " " + transfer.peer() + ": " + state + progress
                + (transfer.encrypted() ? "" : transfer.state().isFinal() ? "" : ", not encrypted")
                + (transfer.reason().isEmpty() ? "" : " — " + transfer.reason())
                + (transfer.state() == TransferState.DONE && transfer.direction() == Direction.INCOMING
                        ? " → " + transfer.file() : ""));
    }

    private static String unquote(String word) {
        return word.length() >= 2 && word.startsWith("\"") && word.endsWith("\"") ? word.substring(1, word.length() - 1)
                : word;
    }

    private void tail(String[] words) {
        require(words.length == 2 && (words[1].equals("on") || words[1].equals("off")), "usage: tail on|off");
        if (words[1].equals("on") && traffic == null) {
            traffic = chat.watchTraffic(line -> output.println(machine
                    ? MachineLines.line(line.incoming() ? "in" : "out", line.peer(), line.streamId(),
                            line.encrypted() ? "tls" : "plain", line.xml())
                    : (line.incoming() ? "<< " : ">> ") + clean(line.peer()) + " " + clean(line.xml())));
            say("showing raw traffic");
        } else if (words[1].equals("off") && traffic != null) {
            try {
                traffic.close();
            } catch (Exception ignored) {
                // nothing more to stop
            }
            traffic = null;
            say("raw traffic off");
        }
    }

    private void show(PeerId id) {
        chat.pronto.model.Contact contact = await(chat.contact(id))
                .orElseThrow(() -> new IllegalArgumentException(id + " is not seen on the network"));
        output.println("  " + clean(id) + "  (" + clean(contact.displayName()) + ")");
        contact.advert().ifPresentOrElse(advert -> {
            output.println("  addresses: " + advert.addresses().stream().map(a -> a.getHostAddress())
                    .collect(java.util.stream.Collectors.joining(", ")) + "  port " + advert.port());
            output.println("  status=" + advert.status().txtValue() + " msg=" + clean(advert.message())
                    + " nick=" + clean(advert.nick()) + " 1st=" + clean(advert.firstName()) + " last="
                    + clean(advert.lastName()) + " email=" + clean(advert.email()) + " jid=" + clean(advert.jid()));
            advert.capabilities().ifPresent(caps -> output.println("  caps: node=" + clean(caps.node()) + " hash="
                    + clean(caps.hash()) + " ver=" + clean(caps.ver())));
            advert.avatarHash().ifPresent(hash -> output.println("  avatar: phsh=" + hash
                    + (contact.avatar().isPresent() ? " (here)" : " (not here yet)")));
        }, () -> output.println("  not advertised on mDNS now"));
        output.println("  stream: " + contact.link());
        output.println("  key: " + contact.key().map(key -> clean(key.replace('\n', ' ')) + (contact.verified()
                ? " (verified)" : contact.keyIsNew() ? " (new: taken on first use just now)" : " (trusted on first use)"))
                .orElse("none pinned yet"));
        if (contact.direct()) {
            output.println("  reached by address, not over mDNS");
        }
    }

    private void saved() {
        List<SavedPeer> saved = await(chat.savedPeers());
        if (saved.isEmpty()) {
            say("nobody saved (add HOST[:PORT] saves a peer)");
        }
        saved.forEach(peer -> output.println("  " + clean(peer.id()) + "  " + peer.hostAndPort().orElse(peer.host()
                + " (port not known yet)") + "  " + peer.origin().name().toLowerCase(Locale.ROOT).replace('_', ' ')));
    }

    /** Shows both keys and the safety code; with {@code confirm} or the peer's fingerprint, marks it verified. */
    private void verify(String[] words) {
        require(words.length >= 2, "usage: verify PEER [confirm|FINGERPRINT]");
        PeerId id = peer(words[1]);
        Contact contact = await(chat.contact(id)).orElseThrow(() -> new IllegalArgumentException(
                id + " is neither on the network nor saved"));
        String theirs = contact.key().map(key -> key.replaceAll("\\s", "")).orElseThrow(() ->
                new IllegalArgumentException("no key is pinned for " + id + " yet: chat once, then compare"));
        if (words.length == 3) {
            String compared = words[2].strip().equalsIgnoreCase("confirm") ? theirs : words[2];
            await(chat.markVerified(id, compared));
            say(clean(id) + " is verified");
            return;
        }
        String ours = await(chat.ownFingerprint());
        SafetyCode code = SafetyCode.of(ours, theirs);
        output.println("  your key:       " + grouped(ours));
        output.println("  " + clean(id) + "'s key: " + grouped(theirs));
        output.println("  safety code (the same on both screens):");
        output.println("    " + code.digits().replace("\n", "\n    "));
        output.println("  " + (contact.verified() ? "verified already" : "compare it, then: verify " + clean(id) + " confirm"));
    }

    private static String grouped(String hex) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 4) {
            out.append(i == 0 ? "" : " ").append(hex.substring(i, Math.min(hex.length(), i + 4)).toUpperCase(Locale.ROOT));
        }
        return out.toString();
    }

    private void peers() {
        List<Contact> contacts = await(chat.contacts()).stream().sorted(Comparator.comparing(Contact::id)).toList();
        if (contacts.isEmpty()) {
            say("nobody seen yet");
        }
        contacts.forEach(contact -> output.println("  " + describe(contact)));
    }

    private void history(String[] words) {
        require(words.length >= 2, "usage: history PEER [N]");
        int count = words.length == 3 ? Integer.parseInt(words[2].strip()) : 20;
        for (StoredMessage stored : await(chat.latest(peer(words[1]), count))) {
            ChatMessage message = stored.message();
            output.printf("  %s %s %s [%s]%n", TIME.format(message.at()),
                    message.direction() == Direction.OUTGOING ? ">" : "<", clean(message.body()),
                    message.state().name().toLowerCase(Locale.ROOT));
        }
    }

    private void status(String[] words) {
        require(words.length >= 2, "usage: status avail|away|dnd [MESSAGE]");
        Status status = Status.fromTxt(words[1]);
        OwnPresence own = chat.ownPresence().withStatus(status, words.length == 3 ? words[2] : null);
        chat.updatePresence(own);
        say("status " + status);
    }

    private void print(ChatEvent event) {
        if (event instanceof ChatEvent.ContactChanged changed) {
            output.println("~ " + describe(changed.contact()));
        } else if (event instanceof ChatEvent.ContactGone gone) {
            output.println("- " + gone.id());
        } else if (event instanceof ChatEvent.MessageAdded added) {
            ChatMessage message = added.message();
            output.printf("%s %s: %s%n", message.direction() == Direction.OUTGOING ? ">" : "<", clean(message.peer()),
                    clean(message.body()));
        } else if (event instanceof ChatEvent.MessageUpdated updated) {
            ChatMessage message = updated.message();
            output.printf("%s %s %s%s%n", message.state().name().toLowerCase(Locale.ROOT), clean(message.peer()),
                    clean(message.id()), message.failure() == null ? "" : ": " + clean(Sentences.of(message.failure(), message.peer().name())));
        } else if (event instanceof ChatEvent.Typing typing) {
            output.printf("typing %s %s%n", clean(typing.peer()), typing.state().name().toLowerCase(Locale.ROOT));
        } else if (event instanceof ChatEvent.KeyChanged changed) {
            presentedKeys.put(changed.peer(), changed.presented());
            output.printf("! %s of %s changed: pinned %s, presented %s (accept-key %s to trust it)%n",
                    changed.wasVerified() ? "THE VERIFIED KEY" : "the key", clean(changed.peer()),
                    changed.pinned().replace('\n', ' '), changed.presented().replace('\n', ' '), clean(changed.peer()));
        } else if (event instanceof ChatEvent.Unreachable unreachable) {
            output.printf("! %s unreachable: %s%s%n", clean(unreachable.peer()), clean(Sentences.of(unreachable.problem(), unreachable.peer().name())), unreachable.retryIn()
                    .map(wait -> " (retrying in " + wait.toMillis() / 1000.0 + " s)").orElse(""));
        } else if (event instanceof ChatEvent.Renamed renamed) {
            output.println("! our name was taken: we are now " + renamed.newName());
        } else if (event instanceof ChatEvent.Notice notice) {
            output.println("! " + clean(Sentences.of(notice.problem())));
        } else if (event instanceof ChatEvent.TransferUpdated updated) {
            Transfer transfer = updated.transfer();
            // Progress is for "files"; here only what changed: offered, started, done, failed…
            if (shownStates.put(transfer.id(), transfer.state()) != transfer.state()) {
                output.println((transfer.state() == TransferState.OFFERED && transfer.direction() == Direction.INCOMING
                        ? "? file offered (accept " + transfer.id() + " / decline " + transfer.id() + "): " : "file ")
                        + describe(transfer));
            }
        }
    }

    private static String describe(Contact contact) {
        String advert = contact.advert().map(a -> a.status() + (a.message().isEmpty() ? "" : " \"" + a.message() + "\""))
                .orElse("not advertised");
        return clean(contact.id() + " (" + contact.displayName() + ") " + advert + " link=" + contact.link()
                + (contact.verified() ? " verified" : "") + (contact.direct() ? " by-address" : ""));
    }

    /**
     * What peers send or publish, made safe for a terminal: a line break continues the message on an
     * indented line (so it cannot pose as another line of ours) and control characters (escape
     * sequences) show as {@code \\uXXXX}.
     */
    static String clean(Object value) {
        String text = String.valueOf(value);
        StringBuilder safe = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                safe.append("\n    | ");
            } else if (c == '\r') {
                continue;
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                safe.append(String.format("\\u%04x", (int) c));
            } else {
                safe.append(c);
            }
        }
        return safe.toString();
    }

    private void say(String text) {
        output.println(machine ? MachineLines.line("info", text) : "* " + text);
    }

    private static PeerId peer(String name) {
        return PeerId.of(name);
    }

    private static void require(boolean condition, String usage) {
        if (!condition) {
            throw new IllegalArgumentException(usage);
        }
    }

    private <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalArgumentException(Sentences.of(e.getCause(), "the peer"), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalArgumentException("no answer within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalArgumentException("interrupted", e);
        }
    }
}
