package chat.pronto.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.interfaces.ECPublicKey;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityTest {
    @TempDir
    Path data;

    @Test
    void makesAnEcP256KeyAndACertificateNamingTheInstance() throws Exception {
        Identity identity = Identity.generate("alice@hosta");

        ECPublicKey key = (ECPublicKey) identity.certificate().getPublicKey();
        assertEquals(256, key.getParams().getCurve().getField().getFieldSize());
        assertEquals(Optional.of("alice@hosta"), identity.instanceName());
        assertEquals("CN=alice@hosta", identity.certificate().getSubjectX500Principal().getName());
        identity.certificate().verify(key);
    }

    @Test
    void storesTheIdentityReadableOnlyByTheUserAndReusesIt() throws IOException {
        Identity first = Identity.loadOrCreate(data.resolve("pronto"), "alice@hosta");
        Identity second = Identity.loadOrCreate(data.resolve("pronto"), "alice@hosta");

        assertEquals(first.fingerprint(), second.fingerprint());
        assertEquals(first.certificate(), second.certificate());
        Path file = data.resolve("pronto/identity.pem");
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(file));
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE), Files.getPosixFilePermissions(data.resolve("pronto")));
    }

    @Test
    void keepsTheKeyButReissuesTheCertificateAfterARename() throws IOException {
        Identity before = Identity.loadOrCreate(data, "alice@hosta");
        Identity after = Identity.loadOrCreate(data, "alice-1@hosta");

        assertEquals(before.fingerprint(), after.fingerprint());
        assertEquals(Optional.of("alice-1@hosta"), after.instanceName());
        assertEquals(Optional.of("alice-1@hosta"), Identity.loadOrCreate(data, "alice-1@hosta").instanceName());
    }

    @Test
    void twoInstallationsGetDifferentKeys() {
        assertNotEquals(Identity.generate("a@x").fingerprint(), Identity.generate("a@x").fingerprint());
    }

    @Test
    void saysClearlyWhenTheStoredIdentityIsDamaged() throws IOException {
        Files.writeString(data.resolve("identity.pem"), "-----BEGIN CERTIFICATE-----\nnot base64 at all\n");

        IOException error = assertThrows(IOException.class, () -> Identity.loadOrCreate(data, "a@x"));
        assertTrue(error.getMessage().contains("identity.pem"), error.getMessage());
    }
}
