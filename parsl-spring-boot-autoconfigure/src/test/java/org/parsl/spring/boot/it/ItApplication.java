package org.parsl.spring.boot.it;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableAsync;

/** The application of the integration tests; the local provider relaunches it as a worker. */
@SpringBootApplication
@EnableAsync
public class ItApplication {

    public static void main(String[] args) {
        SpringApplication.run(ItApplication.class, args);
    }
}
