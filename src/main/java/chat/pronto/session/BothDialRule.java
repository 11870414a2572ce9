package chat.pronto.session;

import chat.pronto.stream.Role;

/**
 * When both peers dial each other at the same moment, two streams join the same pair. Both sides
 * must keep the same one without talking about it: the stream opened by the peer whose instance
 * name sorts first survives. Two streams opened by the same side mean the older one is stale
 * (the peer restarted or we redialed): the newer one survives.
 */
final class BothDialRule {
    private BothDialRule() {
    }

    /**
     * True when {@code candidate} should replace {@code current}.
     *
     * @param currentRole   our role on the stream we use now
     * @param candidateRole our role on the stream that just opened
     */
    static boolean replaces(String localName, String peerName, Role currentRole, Role candidateRole) {
        if (currentRole == candidateRole) {
            return true;
        }
        Role preferred = localName.compareTo(peerName) < 0 ? Role.INITIATOR : Role.RECIPIENT;
        return candidateRole == preferred;
    }
}
