package chat.pronto.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Which certificates a stream with a peer accepts. */
class PinningTrustManagerTest {
    /**
     * XEP-0246 asks for the certificate to be validated; the pin stays the trust anchor, but a
     * certificate issued for another name never speaks under this one, nor is pinned for it.
     */
    @Test
    void aCertificateMadeForAnotherNameIsRefusedEvenOnFirstUse() {
        KnownPeers known = KnownPeers.inMemory();
        PinningTrustManager trust = new PinningTrustManager("carol@hostc", known);
        X509Certificate mallorys = Identity.generate("mallory@hostm").certificate();

        CertificateException refused = assertThrows(CertificateException.class,
                () -> trust.checkServerTrusted(new X509Certificate[] {mallorys}, "EC"));
        assertTrue(refused.getMessage().contains("mallory@hostm"), refused.getMessage());
        assertEquals(Optional.empty(), known.pinned("carol@hostc"));
    }

    @Test
    void aCertificateForThePeersOwnNameIsTakenOnFirstUse() throws Exception {
        KnownPeers known = KnownPeers.inMemory();
        PinningTrustManager trust = new PinningTrustManager("Carol@HostC", known);
        X509Certificate carols = Identity.generate("carol@hostc").certificate();
        trust.checkClientTrusted(new X509Certificate[] {carols}, "EC");
        assertInstanceOf(PinCheck.FirstUse.class, PinningTrustManager.check("Carol@HostC", carols, known));
        assertEquals(Optional.empty(), known.pinned("Carol@HostC"), "pinned only once the handshake is done");
    }
}
