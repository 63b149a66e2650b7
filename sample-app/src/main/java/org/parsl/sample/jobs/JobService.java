package org.parsl.sample.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.parsl.app.TaskBiFunction;
import org.parsl.concurrent.ParslPoolExecutor;
import org.parsl.executors.ExecutorStatus;
import org.parsl.sample.NotInWorkerMode;
import org.parsl.sample.SampleProperties;
import org.parsl.sample.jobs.JobRequest.JobSpec;
import org.parsl.sample.pricing.Chunk;
import org.parsl.sample.pricing.ChunkResult;
import org.parsl.sample.pricing.Estimate;
import org.parsl.sample.pricing.PathSimulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

/**
 * Starts and tracks pricing jobs. A job fans out into one {@code @Async("gpu")} simulation per
 * chunk, and folds each chunk's result into a running {@link Estimate} with a chain of reduce tasks on
 * the {@code cpu} pool: reduce step {@code k} takes the future of step {@code k-1} and the future of
 * chunk {@code k}, so it starts as soon as both are done — no thread waits for them. While jobs run,
 * their progress is logged once a second (never per chunk). At most
 * {@code sample.limits.max-running-jobs} jobs run at once; a job holds its place until its outcome is
 * known.
 */
@Service
@NotInWorkerMode
public class JobService implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(JobService.class);
    private static final int JOBS_KEPT = 1000;
    private static final TaskBiFunction<Estimate, ChunkResult, Estimate> REDUCE = Estimate::plus;

    private final PathSimulator simulator;
    private final ParslPoolExecutor cpu;
    private final ParslPoolExecutor gpu;
    private final SampleProperties properties;
    private final Map<Long, Job> jobs = new ConcurrentHashMap<>();
    private final AtomicLong lastId = new AtomicLong();
    /** Places for running jobs: sample.limits.max-running-jobs of them. */
    private final Semaphore runningJobs;
    private Path markers;      // created with the first job that needs one; guarded by this
    private final ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "sample-job-progress");
        thread.setDaemon(true);
        return thread;
    });

    public JobService(PathSimulator simulator, @Qualifier("cpu") ParslPoolExecutor cpu,
            @Qualifier("gpu") ParslPoolExecutor gpu, SampleProperties properties) {
        this.simulator = simulator;
        this.cpu = cpu;
        this.gpu = gpu;
        this.properties = properties;
        this.runningJobs = new Semaphore(properties.limits().maxRunningJobs());
        progress.scheduleAtFixedRate(this::logProgress, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Validates {@code request} and starts the job; returns at once.
     *
     * @throws InvalidJobRequestException if the request asks for a job the service refuses (a
     *         {@code JobTooLargeException} if it is over one of the limits)
     * @throws TooManyRunningJobsException if {@code sample.limits.max-running-jobs} jobs are running
     * @throws RejectedExecutionException if the service is shutting down
     */
    public Job start(JobRequest request) {
        JobSpec spec = request.validate(properties.limits());
        if (cpu.isShutdown() || gpu.isShutdown()) {
            throw new RejectedExecutionException("the service is shutting down; no new jobs");
        }
        if (!runningJobs.tryAcquire()) {
            throw new TooManyRunningJobsException(properties.limits().maxRunningJobs(),
                    SampleProperties.Limits.MAX_RUNNING_JOBS);
        }
        Job job;
        try {
            job = launch(spec);
        } catch (RuntimeException | Error e) {
            runningJobs.release();
            throw e;
        }
        return job;
    }

    /** Starts the job's tasks; the job's place is given back when its outcome is known. */
    private Job launch(JobSpec spec) {
        Job job = new Job(lastId.incrementAndGet(), spec);
        jobs.put(job.id(), job);
        forgetOldJobs();
        int failing = properties.injectTransientFailure() ? spec.chunks() / 2 : -1;
        log.info("job {} started: {} paths in {} chunks on gpu workers, reduced on cpu{}", job.id(),
                String.format("%,d", spec.samples()), spec.chunks(),
                failing >= 0 ? "; chunk " + failing + " fails on its first try and is retried" : "");
        CompletableFuture<Estimate> estimate = CompletableFuture.completedFuture(Estimate.EMPTY);
        try {
            for (int i = 0; i < spec.chunks(); i++) {
                String marker = i == failing ? markers().resolve("job-" + job.id() + "-chunk-" + i).toString() : null;
                Chunk chunk = new Chunk(job.id(), i, spec.samplesOf(i), spec.seed(), spec.option(), marker);
                CompletableFuture<ChunkResult> simulated = simulator.simulate(chunk);
                simulated.thenRun(job::chunkSimulated);
                estimate = cpu.submit(REDUCE, estimate, simulated);
                estimate.thenRun(() -> job.chunkReduced(chunk.samples()));
            }
        } catch (RuntimeException e) {
            job.finish(null, e);
            throw e;
        }
        estimate.whenComplete((result, failure) -> {
            runningJobs.release(); // before the job shows as done: a client that saw it done may start another
            job.finish(result, failure);
            deleteMarkers(job.id());
            logOutcome(job);
        });
        return job;
    }

    /** Worker JVMs connected to the {@code gpu} pool's executors now (threads, if {@code gpu} is a thread pool). */
    public int gpuWorkersConnected() {
        return gpu.dfk().executorStatuses().stream().filter(s -> gpu.executors().contains(s.label()))
                .mapToInt(ExecutorStatus::connectedWorkers).sum();
    }

    /** The job with this id, if the service knows it. */
    public Optional<Job> find(long id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /** The status of the job with this id. */
    public JobStatus status(long id) {
        return find(id).orElseThrow(() -> new UnknownJobException(id, lastId.get())).status();
    }

    /** The status of every job the service knows, oldest first. */
    public List<JobStatus> statuses() {
        return jobs.values().stream().sorted(Comparator.comparingLong(Job::id)).map(Job::status).toList();
    }

    @Override
    public synchronized void destroy() {
        progress.shutdownNow();
        if (markers == null) {
            return;
        }
        try (var files = Files.list(markers)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(markers);
        } catch (IOException e) {
            log.warn("could not delete the failure markers in {}", markers, e);
        }
    }

    private void logProgress() {
        try {
            List<Job> running = jobs.values().stream().filter(j -> j.state() == Job.State.RUNNING).toList();
            if (!running.isEmpty()) {
                int workers = gpuWorkersConnected();
                running.forEach(job -> job.logProgress(workers));
            }
        } catch (RuntimeException e) {
            log.warn("could not log the jobs' progress", e);   // keep the schedule alive
        }
    }

    private void logOutcome(Job job) {
        JobStatus status = job.status();
        if (status.result() != null) {
            JobStatus.Result r = status.result();
            log.info("job {} done in {} ms ({} paths/s): price {} ± {} (Black–Scholes {}); gpu chunks ran in worker JVMs {}, "
                            + "reduce steps in {} (this JVM: {}); {} chunk(s) retried", job.id(), status.elapsedMillis(),
                    String.format("%,.0f", status.samplesPerSecond()), String.format("%.4f", r.price()),
                    String.format("%.4f", r.standardError()), String.format("%.4f", r.blackScholes()), r.workerPids(),
                    r.reducerPids(), r.servicePid(), r.retriedChunks());
        } else {
            log.warn("job {} failed after {} ms: {}", job.id(), status.elapsedMillis(), status.error());
        }
    }

    /** The directory of the failure markers, shared with the worker JVMs (same machine). */
    private synchronized Path markers() {
        if (markers == null) {
            try {
                markers = Files.createTempDirectory("parsl-sample-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a directory for the sample's failure markers", e);
            }
        }
        return markers;
    }

    private synchronized void deleteMarkers(long jobId) {
        if (markers == null) {
            return;
        }
        try (var files = Files.list(markers)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("job-" + jobId + "-")).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            log.warn("could not delete the failure markers of job {} in {}", jobId, markers, e);
        }
    }

    private void forgetOldJobs() {
        if (jobs.size() <= JOBS_KEPT) {
            return;
        }
        jobs.values().stream().filter(j -> j.state() != Job.State.RUNNING).map(Job::id).sorted()
                .limit(jobs.size() - JOBS_KEPT).forEach(jobs::remove);
    }
}
