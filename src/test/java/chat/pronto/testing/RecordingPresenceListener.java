package chat.pronto.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import chat.pronto.model.PeerId;
import chat.pronto.presence.PeerEvent;
import chat.pronto.presence.PresenceDiagnostic;
import chat.pronto.presence.PresenceListener;

/** Keeps everything a presence service reports, for tests to wait on. */
public final class RecordingPresenceListener implements PresenceListener {
    public final List<PeerEvent> events = new CopyOnWriteArrayList<>();
    public final List<PeerId> renames = new CopyOnWriteArrayList<>();
    public final List<PresenceDiagnostic> diagnostics = new CopyOnWriteArrayList<>();

    @Override
    public void onPeerEvent(PeerEvent event) {
        events.add(event);
    }

    @Override
    public void onRenamed(PeerId newName) {
        renames.add(newName);
    }

    @Override
    public void onDiagnostic(PresenceDiagnostic diagnostic) {
        diagnostics.add(diagnostic);
    }
}
