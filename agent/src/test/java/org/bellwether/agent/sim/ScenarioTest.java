package org.bellwether.agent.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Runs every file under {@code scenarios/} (test resources); see {@link Scenario} for the commands. */
class ScenarioTest {
    @TestFactory
    Stream<DynamicTest> scenarios() throws IOException, URISyntaxException {
        URL dir = ScenarioTest.class.getClassLoader().getResource("scenarios");
        assertThat(dir).as("scenarios directory on the test class path").isNotNull();
        List<Path> files;
        try (Stream<Path> listing = Files.list(Path.of(dir.toURI()))) {
            files = listing.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        return files.stream()
                .map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> run(file)));
    }

    private static void run(Path file) throws IOException {
        String text;
        try (InputStream in = Files.newInputStream(file)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Scenario scenario = new Scenario(file.getFileName().toString(), text);
        List<String> failures = scenario.run();
        if (!failures.isEmpty() || Boolean.getBoolean("sim.printScenarios")) {
            scenario.trace().forEach(System.out::println);
        }
        assertThat(failures).as("scenario %s", file.getFileName()).isEmpty();
    }
}
