package org.parsl.spring.boot.autoconfigure.actuate;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * The application of {@link ParslActuatorIT}; the local provider relaunches it in worker mode for
 * the Hazelcast executor. No component scan, so other tests' configurations stay out of it.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ObservabilityApplication {

    public static void main(String[] args) {
        SpringApplication.run(ObservabilityApplication.class, args);
    }
}
