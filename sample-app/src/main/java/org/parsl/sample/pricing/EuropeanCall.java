package org.parsl.sample.pricing;

/**
 * A European call option on a stock that follows geometric Brownian motion: the contract the sample
 * prices by Monte Carlo, and whose Black–Scholes closed form tells whether the estimate is right.
 *
 * @param spot       price of the stock today
 * @param strike     price at which the option may buy the stock at maturity
 * @param rate       continuously compounded risk-free rate, per year
 * @param volatility annualised volatility of the stock's log returns
 * @param maturity   time to maturity, in years
 */
public record EuropeanCall(double spot, double strike, double rate, double volatility, double maturity) {

    /** The textbook example: at the money, 5% rate, 20% volatility, one year (Black–Scholes price 10.4506). */
    public static final EuropeanCall AT_THE_MONEY = new EuropeanCall(100, 100, 0.05, 0.2, 1.0);

    public EuropeanCall {
        requirePositive("spot", spot);
        requirePositive("strike", strike);
        requirePositive("volatility", volatility);
        requirePositive("maturity", maturity);
        if (!Double.isFinite(rate)) {
            throw new IllegalArgumentException("rate must be a finite number, got " + rate);
        }
    }

    /** The discounted payoff on the path whose standard normal draw is {@code z}. */
    double discountedPayoff(double z) {
        double drift = (rate - 0.5 * volatility * volatility) * maturity;
        double atMaturity = spot * Math.exp(drift + volatility * Math.sqrt(maturity) * z);
        return Math.exp(-rate * maturity) * Math.max(atMaturity - strike, 0);
    }

    /** The exact price under Black–Scholes, the reference a Monte Carlo estimate converges to. */
    public double blackScholesPrice() {
        double sqrtT = Math.sqrt(maturity);
        double d1 = (Math.log(spot / strike) + (rate + 0.5 * volatility * volatility) * maturity) / (volatility * sqrtT);
        double d2 = d1 - volatility * sqrtT;
        return spot * normalCdf(d1) - strike * Math.exp(-rate * maturity) * normalCdf(d2);
    }

    /** Standard normal CDF via the complementary error function (Numerical Recipes' erfc, |error| < 1.2e-7). */
    static double normalCdf(double x) {
        return 0.5 * erfc(-x / Math.sqrt(2));
    }

    private static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }

    private static void requirePositive(String name, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be a positive number, got " + value);
        }
    }
}
