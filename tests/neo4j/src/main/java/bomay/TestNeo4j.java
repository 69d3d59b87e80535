package bomay;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * A throw-away Neo4j Community server for bomay's tests: the embedded
 * DatabaseManagementService with only the Bolt connector, on a loopback address.
 *
 * <pre>
 * java -cp target/classes:target/lib/* bomay.TestNeo4j [--host 127.0.0.1] [--port 0]
 *      [--password SECRET] [--pagecache-mb 256] [--ready FILE] [--logs DIR]
 * </pre>
 *
 * --port 0 (the default) takes a free port. With --password the user `neo4j` gets that
 * password (auth on); without it auth is disabled. The store lives in a new temporary folder
 * that is deleted when the process ends (SIGTERM/SIGINT: the shutdown hook stops the DBMS
 * first). Once Bolt answers, --ready FILE is written (atomically) with lines
 * {@code port=N}, {@code data=DIR} and {@code pid=N}.
 */
public final class TestNeo4j {
    private TestNeo4j() {}

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 0;
        String password = null;
        long pagecacheMb = 256;
        Path ready = null;
        Path logs = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--host": host = need(a, v); i++; break;
                case "--port": port = Integer.parseInt(need(a, v)); i++; break;
                case "--password": password = need(a, v); i++; break;
                case "--pagecache-mb": pagecacheMb = Long.parseLong(need(a, v)); i++; break;
                case "--ready": ready = Path.of(need(a, v)).toAbsolutePath(); i++; break;
                case "--logs": logs = Path.of(need(a, v)).toAbsolutePath(); i++; break;
                default:
                    System.err.println("unknown argument " + a);
                    System.exit(2);
            }
        }
        if (password != null && password.isEmpty()) {
            password = null;
        }
        boolean anyPort = port == 0;
        Path readyFile = ready;
        long started = System.nanoTime();
        DatabaseManagementService dbms = null;
        Path home = null;
        for (int attempt = 1; dbms == null; attempt++) {
            if (anyPort) {
                port = freePort(host);
            }
            home = Files.createTempDirectory("bomay-neo4j-");
            log("starting Neo4j (embedded) in " + home + ", bolt on " + host + ":" + port
                    + (password == null ? ", auth disabled" : ", auth on (user neo4j)"));
            try {
                dbms = builder(home, host, port, password, pagecacheMb, logs).build();
            } catch (RuntimeException e) {
                deleteTree(home);
                // the free port was taken in between: take another (three tries)
                if (!anyPort || attempt >= 3 || !causedBy(e, BindException.class)) {
                    throw e;
                }
                log("port " + port + " was taken meanwhile, trying another");
            }
        }
        int boltPort = port;
        Path store = home;
        CountDownLatch stopped = new CountDownLatch(1);
        DatabaseManagementService service = dbms;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log("stopping Neo4j");
            try {
                service.shutdown();
            } catch (RuntimeException e) {
                log("shutdown failed: " + e);
            }
            deleteTree(store);
            if (readyFile != null) {
                try {
                    Files.deleteIfExists(readyFile);
                } catch (IOException ignored) {
                    // best effort
                }
            }
            log("stopped; removed " + store);
            stopped.countDown();
        }, "bomay-neo4j-shutdown"));

        if (password != null) {
            // `neo4j` starts with password `neo4j` and must change it: set ours, no change required.
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        }
        // the default database answers before we say so
        dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");

        long ms = (System.nanoTime() - started) / 1_000_000;
        log("ready in " + ms + " ms: bolt://" + host + ":" + boltPort);
        if (readyFile != null) {
            String body = "port=" + boltPort + "\ndata=" + store + "\npid=" + ProcessHandle.current().pid() + "\n";
            Path tmp = readyFile.resolveSibling(readyFile.getFileName() + ".tmp");
            Files.createDirectories(readyFile.toAbsolutePath().getParent());
            Files.writeString(tmp, body, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, readyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, readyFile, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        stopped.await();
    }

    private static DatabaseManagementServiceBuilder builder(Path home, String host, int port, String password,
                                                            long pagecacheMb, Path logs) throws IOException {
        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                .setUserLogProvider(new Log4jLogProvider(System.out, Level.INFO))
                // the only door in: Bolt on a loopback address, no HTTP
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(host, port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, password != null)
                // no usage reports (this machine has no internet anyway)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // modest memory: the test suite shares the machine
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pagecacheMb))
                .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, ByteUnit.mebiBytes(512))
                .setConfig(GraphDatabaseSettings.tx_state_memory_allocation,
                        GraphDatabaseSettings.TransactionStateMemoryAllocation.ON_HEAP)
                // a runaway query or a forgotten lock fails instead of hanging the tests
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofMinutes(5))
                .setConfig(GraphDatabaseSettings.lock_acquisition_timeout, Duration.ofSeconds(60))
                .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(5))
                // stop quickly: Bolt otherwise waits 5 s for its threads, then 5 s for its connections
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                // a throw-away store: small transaction logs, nothing preallocated
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "keep_none")
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.preallocate_store_files, false);
        if (logs != null) {
            Files.createDirectories(logs);
            builder.setConfig(GraphDatabaseSettings.logs_directory, logs);
        }
        return builder;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String need(String arg, String value) {
        if (value == null) {
            System.err.println(arg + " needs a value");
            System.exit(2);
        }
        return value;
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private static void log(String message) {
        System.out.println("[bomay-neo4j] " + message);
        System.out.flush();
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log("could not remove " + root + ": " + e);
        }
    }
}
