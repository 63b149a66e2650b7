package org.parsl.sample.jobs;

import java.net.URI;
import java.util.concurrent.RejectedExecutionException;

import org.parsl.sample.NotInWorkerMode;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Errors as RFC 9457 problem details ({@code application/problem+json}): the service's own (bad job
 * request → 400, a job over a limit → 400, too many running jobs → 429, unknown job → 404, shutting
 * down → 503) and Spring MVC's (unreadable JSON, an id that is not a number → 400), which the base
 * class turns into problem details. A limit's problem names it: {@code limit} (its value) and
 * {@code property} (the setting that raises it).
 */
@RestControllerAdvice
@NotInWorkerMode
class JobProblems extends ResponseEntityExceptionHandler {

    @ExceptionHandler
    ProblemDetail invalidRequest(InvalidJobRequestException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setTitle("Invalid job request");
        problem.setType(URI.create("urn:parsl-sample:invalid-job-request"));
        problem.setProperty("field", e.field());
        problem.setProperty("rejectedValue", e.value());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail jobTooLarge(JobTooLargeException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setTitle("Job too large");
        problem.setType(URI.create("urn:parsl-sample:job-too-large"));
        problem.setProperty("field", e.field());
        problem.setProperty("rejectedValue", e.value());
        problem.setProperty("limit", e.limit());
        problem.setProperty("property", e.property());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail tooManyRunningJobs(TooManyRunningJobsException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, e.getMessage());
        problem.setTitle("Too many running jobs");
        problem.setType(URI.create("urn:parsl-sample:too-many-running-jobs"));
        problem.setProperty("limit", e.limit());
        problem.setProperty("property", e.property());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail unknownJob(UnknownJobException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        problem.setTitle("Unknown job");
        problem.setType(URI.create("urn:parsl-sample:unknown-job"));
        problem.setProperty("id", e.id());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail shuttingDown(RejectedExecutionException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
        problem.setTitle("Service shutting down");
        return problem;
    }
}
