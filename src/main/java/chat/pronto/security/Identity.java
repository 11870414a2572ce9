package chat.pronto.security;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * This installation's long-lived key (EC P-256) and a self-signed certificate naming the instance.
 * Made once, stored in the data directory readable only by the user, reused afterwards; peers pin
 * the key, so losing it means every peer sees a "changed key" warning.
 */
public final class Identity {
    /** id-on-xmppAddr (RFC 6120 §13.7.1.4): the SAN form that names an XMPP address. */
    private static final ASN1ObjectIdentifier XMPP_ADDR = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.8.5");
    private static final String FILE_NAME = "identity.pem";
    private static final Duration VALIDITY = Duration.ofDays(20 * 365);

    private final KeyPair keyPair;
    private final X509Certificate certificate;

    private Identity(KeyPair keyPair, X509Certificate certificate) {
        this.keyPair = keyPair;
        this.certificate = certificate;
    }

    /** A fresh key and certificate kept only in memory (tests, benchmarks). */
    public static Identity generate(String instanceName) {
        KeyPair keys = newKeyPair();
        return new Identity(keys, selfSign(keys, instanceName));
    }

    /**
     * Loads the identity stored in {@code directory}, or makes and stores one. When the stored
     * certificate names another instance (the user or a name conflict renamed us), a new
     * certificate is issued for the same key, so peers' pins stay valid.
     */
    public static Identity loadOrCreate(Path directory, String instanceName) throws IOException {
        Path file = directory.resolve(FILE_NAME);
        if (Files.exists(file)) {
            Identity stored = read(file);
            if (stored.instanceName().filter(instanceName::equals).isPresent()) {
                return stored;
            }
            Identity renamed = new Identity(stored.keyPair, selfSign(stored.keyPair, instanceName));
            renamed.write(directory);
            return renamed;
        }
        Identity created = generate(instanceName);
        created.write(directory);
        return created;
    }

    /** The same key with a certificate for another name (kept in memory; the next start stores it). */
    Identity renamedTo(String instanceName) {
        return new Identity(keyPair, selfSign(keyPair, instanceName));
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public PrivateKey privateKey() {
        return keyPair.getPrivate();
    }

    public Fingerprint fingerprint() {
        return Fingerprint.of(keyPair.getPublic());
    }

    /** The instance name in the certificate's xmppAddr SAN, if it has one. */
    public Optional<String> instanceName() {
        return xmppAddressOf(certificate);
    }

    static Optional<String> xmppAddressOf(X509Certificate certificate) {
        try {
            byte[] extension = certificate.getExtensionValue(Extension.subjectAlternativeName.getId());
            if (extension == null) {
                return Optional.empty();
            }
            ASN1Primitive octets = ASN1Primitive.fromByteArray(extension);
            GeneralNames names = GeneralNames.getInstance(
                    ASN1Primitive.fromByteArray(((org.bouncycastle.asn1.ASN1OctetString) octets).getOctets()));
            for (GeneralName name : names.getNames()) {
                if (name.getTagNo() != GeneralName.otherName) {
                    continue;
                }
                ASN1Sequence other = ASN1Sequence.getInstance(name.getName());
                if (XMPP_ADDR.equals(other.getObjectAt(0))) {
                    ASN1TaggedObject value = ASN1TaggedObject.getInstance(other.getObjectAt(1));
                    return Optional.of(DERUTF8String.getInstance(value.getExplicitBaseObject()).getString());
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime cannot make EC P-256 keys", e);
        }
    }

    private static X509Certificate selfSign(KeyPair keys, String instanceName) {
        try {
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, instanceName).build();
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    subject, new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)),
                    subject, keys.getPublic());
            GeneralName xmppAddr = new GeneralName(GeneralName.otherName, new DERSequence(new ASN1Encodable[] {
                XMPP_ADDR, new DERTaggedObject(true, 0, new DERUTF8String(instanceName))}));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(xmppAddr));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            X509CertificateHolder holder =
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (OperatorCreationException | GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not issue a certificate for " + instanceName, e);
        }
    }

    private void write(Path directory) throws IOException {
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(new JcaPKCS8Generator(keyPair.getPrivate(), null));
            writer.writeObject(certificate);
        }
        PrivateFiles.writeAtomically(directory, FILE_NAME, pem.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private static Identity read(Path file) throws IOException {
        PrivateKey privateKey = null;
        X509Certificate certificate = null;
        try (PEMParser parser = new PEMParser(new StringReader(Files.readString(file, StandardCharsets.US_ASCII)))) {
            JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof PrivateKeyInfo info) {
                    privateKey = privateKey(info, keys);
                } else if (item instanceof PEMKeyPair pair) {
                    privateKey = privateKey(pair.getPrivateKeyInfo(), keys);
                } else if (item instanceof X509CertificateHolder holder) {
                    certificate = new JcaX509CertificateConverter().getCertificate(holder);
                }
            }
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            throw new IOException("the identity file " + file + " is damaged (" + e.getMessage()
                    + "); move it away to make a new identity, and peers will see a changed key", e);
        }
        if (privateKey == null || certificate == null) {
            throw new IOException("the identity file " + file + " lacks its key or certificate");
        }
        return new Identity(new KeyPair(certificate.getPublicKey(), privateKey), certificate);
    }

    /**
     * An EC key through the JDK's own name for it. BouncyCastle's converter asks the providers for an
     * "ECDSA" key factory first, which none of the JDK's has; in the package's runtime, which leaves out
     * some of the JDK's providers, that miss made the JDK load every provider on the class path to look
     * for one, BouncyCastle's own among them: 0.2 s between the first frame and listening (issue 13).
     */
    private static PrivateKey privateKey(PrivateKeyInfo info, JcaPEMKeyConverter keys)
            throws GeneralSecurityException, IOException {
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(info.getPrivateKeyAlgorithm().getAlgorithm())) {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        }
        return keys.getPrivateKey(info);
    }

    List<X509Certificate> chain() {
        return List.of(certificate);
    }
}
