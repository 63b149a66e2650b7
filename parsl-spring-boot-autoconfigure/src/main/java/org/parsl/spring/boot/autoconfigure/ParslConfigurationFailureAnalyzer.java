package org.parsl.spring.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports an {@link InvalidParslConfigurationException} as "APPLICATION FAILED TO START" with its fix. */
class ParslConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidParslConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidParslConfigurationException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
