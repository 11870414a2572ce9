package chat.pronto.session;

import org.jivesoftware.smack.packet.ErrorIQ;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.IqData;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.jivesoftware.smackx.iqversion.packet.Version;
import org.jivesoftware.smackx.ping.packet.Ping;

/**
 * Answers the peer's {@code get} and {@code set} IQs: disco#info (XEP-0030), ping (XEP-0199),
 * software version (XEP-0092); anything else gets {@code service-unavailable} (RFC 6120 §8.4),
 * because every request deserves an answer.
 */
final class IqResponder {
    static final String VERSION = "0.1.0";

    private IqResponder() {
    }

    static IQ answer(IQ request) {
        if (request instanceof DiscoverInfo info && request.getType() == IQ.Type.get) {
            return OwnFeatures.isOurs(info) ? OwnFeatures.answer(info)
                    : error(request, StanzaError.Condition.item_not_found);
        }
        if (request instanceof Ping ping && request.getType() == IQ.Type.get) {
            return ping.getPong();
        }
        if (request instanceof Version && request.getType() == IQ.Type.get) {
            // No <os/>: XEP-0092 §5 — telling anyone on the LAN the operating system helps attackers only.
            return Version.createResultFor(request, new Version(OwnFeatures.NAME, VERSION));
        }
        return error(request, StanzaError.Condition.service_unavailable);
    }

    /**
     * An error answer without the request's payload. Smack's {@code createErrorResponse} copies the
     * payload back, and for a child it has no provider for (an {@code UnparsedIQ}) it writes it
     * escaped inside a broken tag: the peer would end the stream as not-well-formed.
     */
    static IQ error(IQ request, StanzaError.Condition condition) {
        return ErrorIQ.builder(StanzaError.getBuilder(condition).build(), IqData.createErrorResponse(request)).build();
    }
}
