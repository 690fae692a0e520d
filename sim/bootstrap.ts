// The default cluster's software: started at `up` once the hosts are running (filled in with the Mesos layer).
export {};
