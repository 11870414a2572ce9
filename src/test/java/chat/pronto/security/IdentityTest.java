package chat.pronto.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.Provider;
import java.security.Security;
import java.security.interfaces.ECPublicKey;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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

    @Test
    void readingTheKeyAsksTheProvidersOnlyForWhatTheJdkHas() throws Exception {
        Identity made = Identity.loadOrCreate(data, "alice@laptop");
        // A provider first in the list sees every look-up. A look-up that no provider answers ("ECDSA",
        // what BouncyCastle's converter asks for) makes a runtime that lacks some of the JDK's providers
        // load every provider on the class path, BouncyCastle's too: 0.2 s of the installed app's start.
        List<String> asked = new CopyOnWriteArrayList<>();
        Provider spy = new Provider("ProntoLookupSpy", "1", "records what is looked up") {
            @Override
            public synchronized Service getService(String type, String algorithm) {
                asked.add(type + "." + algorithm);
                return null;
            }
        };
        Security.insertProviderAt(spy, 1);
        Identity read;
        try {
            read = Identity.loadOrCreate(data, "alice@laptop");
        } finally {
            Security.removeProvider(spy.getName());
        }
        assertEquals(made.fingerprint(), read.fingerprint());
        assertEquals(made.privateKey(), read.privateKey());
        assertTrue(asked.contains("KeyFactory.EC"), "the key is made by the JDK's EC key factory: " + asked);
        assertTrue(asked.stream().noneMatch(name -> name.endsWith(".ECDSA")), "asked for: " + asked);
    }

    @Test
    void readsAKeyStoredInTheOlderEcPrivateKeyFormToo() throws Exception {
        // OpenSSL's "EC PRIVATE KEY" (SEC 1, with its curve and public key, as `openssl ecparam -genkey`
        // writes it), not the PKCS #8 form Pronto writes: a file put there by hand or by other tools still reads.
        Identity made = Identity.generate("alice@laptop");
        java.security.interfaces.ECPrivateKey key = (java.security.interfaces.ECPrivateKey) made.privateKey();
        org.bouncycastle.asn1.pkcs.PrivateKeyInfo pkcs8 = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(key.getEncoded());
        org.bouncycastle.asn1.x509.SubjectPublicKeyInfo publicKey = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo
                .getInstance(made.certificate().getPublicKey().getEncoded());
        byte[] sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, key.getS(), publicKey.getPublicKeyData(),
                pkcs8.getPrivateKeyAlgorithm().getParameters()).getEncoded();
        java.io.StringWriter pem = new java.io.StringWriter();
        try (org.bouncycastle.util.io.pem.PemWriter writer = new org.bouncycastle.util.io.pem.PemWriter(pem)) {
            writer.writeObject(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", sec1));
            writer.writeObject(new org.bouncycastle.util.io.pem.PemObject("CERTIFICATE", made.certificate().getEncoded()));
        }
        Files.writeString(data.resolve("identity.pem"), pem.toString());

        Identity read = Identity.loadOrCreate(data, "alice@laptop");
        assertEquals(made.fingerprint(), read.fingerprint());
        assertEquals(made.certificate(), read.certificate());
        java.security.Signature signer = java.security.Signature.getInstance("SHA256withECDSA");
        signer.initSign(read.privateKey());
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        java.security.Signature verifier = java.security.Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(made.certificate().getPublicKey());
        verifier.update(new byte[] {1, 2, 3});
        assertTrue(verifier.verify(signature), "the key read signs for the certificate's public key");
    }
}
