package org.clusterkg.neo4jlocal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;
import org.neo4j.io.ByteUnit;

/**
 * Starts Neo4j Community in this JVM with Bolt on a free loopback port, authentication on with a generated
 * password, and its files in the folder given as the first argument (or a temporary one). Prints
 * {@code NEO4J_URL=neo4j://neo4j:<password>@127.0.0.1:<port>} when ready. Stops cleanly on SIGTERM, and when
 * its standard input closes (the process that started it has gone away).
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) throws Exception {
        Path home = args.length > 0 ? Files.createDirectories(Path.of(args[0])) : Files.createTempDirectory("neo4j-local");
        int port = freePort();
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);

        Neo4j neo4j = Neo4jBuilders.newInProcessBuilder(home)
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .withConfig(HttpConnector.enabled, false)
                .withConfig(GraphDatabaseSettings.auth_enabled, true)
                .withConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(256))
                .withConfig(GraphDatabaseSettings.allow_file_urls, false) // LOAD CSV may not read the machine's files
                .build();
        neo4j.databaseManagementService().database("system")
                .executeTransactionally("ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));

        Runtime.getRuntime().addShutdownHook(new Thread(neo4j::close, "neo4j-local-stop"));
        Thread watcher = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() != -1) {
                    // nothing to read: only the end of the stream matters
                }
            } catch (IOException ignored) {
                // a broken pipe is the same news: the parent is gone
            }
            System.exit(0); // runs the shutdown hook
        }, "neo4j-local-parent-watch");
        watcher.setDaemon(true);
        watcher.start();

        System.out.println("NEO4J_URL=neo4j://neo4j:" + password + "@127.0.0.1:" + port);
        System.out.println("NEO4J_HOME=" + home);
        System.out.flush();
        Thread.currentThread().join(); // until SIGTERM or the end of standard input
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
