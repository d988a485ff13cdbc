package samspil;

import static org.codelibs.opensearch.runner.OpenSearchRunner.newConfigs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.opensearch.cluster.health.ClusterHealthStatus;

/**
 * Starts one real OpenSearch node (one JVM, no security plugin) for Samspil's
 * search tests and keeps it running until the process is killed.
 *
 * <pre>
 * java -Xms512m -Xmx512m -jar target/samspil-search-node.jar BASE_DIR [HTTP_PORT]
 * </pre>
 *
 * BASE_DIR holds the node's data, logs and config and is deleted on shutdown.
 * HTTP_PORT defaults to $OPENSEARCH_PORT, else 9250. The node binds to
 * 127.0.0.1 only. When the cluster is yellow or green it prints
 * {@code READY http://127.0.0.1:PORT}.
 */
public final class SearchNode {

    static final String CLUSTER_NAME = "samspil-test";

    static final String HOST = "127.0.0.1";

    /**
     * Modules loaded from the classpath: analysis-common (language analyzers,
     * synonym_graph, edge_ngram, ...), mapper-extras (search_as_you_type,
     * rank_feature, scaled_float, ...), painless (scripts) and netty4 (the
     * HTTP/transport layer). Override with $OPENSEARCH_MODULES (comma list of
     * plugin classes).
     */
    static final String DEFAULT_MODULES = String.join(",",
            "org.opensearch.analysis.common.CommonAnalysisModulePlugin",
            "org.opensearch.index.mapper.MapperExtrasModulePlugin",
            "org.opensearch.painless.PainlessModulePlugin",
            "org.opensearch.transport.Netty4ModulePlugin");

    private SearchNode() {
    }

    public static void main(final String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: SearchNode BASE_DIR [HTTP_PORT]");
            System.exit(2);
        }
        // OpenSearch's log setup later routes System.out into log4j; keep the
        // real stdout so the READY/STOPPED lines stay plain and reach the
        // launcher even after logging has been shut down.
        final PrintStream out = System.out;
        final Path baseDir = Paths.get(args[0]).toAbsolutePath();
        final String portText = args.length > 1 ? args[1]
                : envOr("OPENSEARCH_PORT", "9250");
        final int port = Integer.parseInt(portText.trim());
        final String modules = envOr("OPENSEARCH_MODULES", DEFAULT_MODULES);

        Files.createDirectories(baseDir);

        final OpenSearchRunner runner = new OpenSearchRunner();
        // No port probing: the exact port is set in the settings below, and a
        // busy port makes the start fail instead of moving elsewhere.
        runner.setMaxHttpPort(-1);

        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (final Exception e) {
                out.println("close failed: " + e);
            }
            try {
                runner.clean();
            } catch (final Exception e) {
                out.println("clean failed: " + e);
            }
            deleteTree(baseDir, out);
            out.println("STOPPED");
            out.flush();
            stopped.countDown();
        }, "samspil-search-node-shutdown"));

        try {
            runner.onBuild((number, settings) -> {
                settings.put("network.host", HOST);
                settings.put("http.port", String.valueOf(port));
                settings.put("cluster.routing.allocation.disk.threshold_enabled", false);
                // one node: replicas could never be assigned, keep new indices green
                settings.put("cluster.default_number_of_replicas", 0);
            }).build(newConfigs()
                    .clusterName(CLUSTER_NAME)
                    .numOfNode(1)
                    .basePath(baseDir.toString())
                    .baseHttpPort(port - 1)
                    .moduleTypes(modules)
                    .printOnFailure());

            final ClusterHealthStatus status = runner.ensureYellow();
            out.println("HEALTH " + status);
            out.println("READY http://" + HOST + ":" + port);
            out.flush();
        } catch (final Exception e) {
            // Node threads would keep the JVM alive: exit, the hook cleans up.
            out.println("FAILED " + e);
            e.printStackTrace(out);
            out.flush();
            System.exit(1);
        }

        // Keep the JVM alive until a signal runs the shutdown hook.
        stopped.await();
    }

    private static String envOr(final String name, final String fallback) {
        final String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void deleteTree(final Path dir, final PrintStream out) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (final IOException e) {
                    out.println("could not delete " + p + ": " + e);
                }
            });
        } catch (final IOException e) {
            out.println("could not delete " + dir + ": " + e);
        }
    }
}
