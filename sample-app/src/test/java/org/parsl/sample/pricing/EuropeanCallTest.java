package org.parsl.sample.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class EuropeanCallTest {

    @Test
    void blackScholesPriceOfTheTextbookCallIs10_4506() {
        assertThat(EuropeanCall.AT_THE_MONEY.blackScholesPrice()).isCloseTo(10.4506, within(1e-4));
    }

    @Test
    void deepOutOfTheMoneyCallIsWorthAlmostNothing() {
        assertThat(new EuropeanCall(50, 200, 0.01, 0.1, 0.5).blackScholesPrice()).isCloseTo(0, within(1e-9));
    }

    @Test
    void normalCdfMatchesKnownValues() {
        assertThat(EuropeanCall.normalCdf(0)).isCloseTo(0.5, within(1e-7));
        assertThat(EuropeanCall.normalCdf(1.96)).isCloseTo(0.9750021, within(1e-6));
        assertThat(EuropeanCall.normalCdf(-1)).isCloseTo(0.1586553, within(1e-6));
    }

    @Test
    void rejectsNonPositiveVolatilityNamingIt() {
        assertThatIllegalArgumentException().isThrownBy(() -> new EuropeanCall(100, 100, 0.05, 0, 1))
                .withMessage("volatility must be a positive number, got 0.0");
    }
}
