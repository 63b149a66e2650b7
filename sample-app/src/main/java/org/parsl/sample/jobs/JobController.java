package org.parsl.sample.jobs;

import java.net.URI;
import java.util.List;

import org.parsl.sample.NotInWorkerMode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /jobs} starts a pricing job and answers 202 with its status and location;
 * {@code GET /jobs/{id}} shows its progress and, once done, its result.
 */
@RestController
@RequestMapping("/jobs")
@NotInWorkerMode
class JobController {

    private final JobService jobs;

    JobController(JobService jobs) {
        this.jobs = jobs;
    }

    @PostMapping
    ResponseEntity<JobStatus> start(@RequestBody(required = false) JobRequest request) {
        Job job = jobs.start(request == null ? new JobRequest(null, null, null) : request);
        return ResponseEntity.accepted().location(URI.create("/jobs/" + job.id())).body(jobs.status(job.id()));
    }

    @GetMapping("/{id}")
    JobStatus get(@PathVariable long id) {
        return jobs.status(id);
    }

    @GetMapping
    List<JobStatus> list() {
        return jobs.statuses();
    }
}
